"""The executive pack and the business case print page in the hub's currency and locale: Excel
money cells carry a currency number format and stay numbers; print pages (made into PDFs)
show the amounts formatted for the hub."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from python_calamine import CalamineWorkbook

from tests.conftest import Clients
from tests.rollup.conftest import Data
from tests.world import World

Hub = Callable[[str, str], None]
API = "/api/v1/rollup/pack"


def _number_formats(xlsx: bytes) -> set[str]:
    """The custom number formats a workbook declares (xl/styles.xml), unescaped."""
    styles = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/styles.xml").decode()
    return {code.replace("&quot;", '"') for code in re.findall(r'formatCode="([^"]*)"', styles)}


def test_excel_pack_money_cells_use_the_hubs_currency(as_: Clients, data: Data, world: World,
                                                      hub_money: Hub) -> None:
    hub_money("CHF", "de_DE")
    r = as_("admin").get(API, params={"department_id": world.departments["IT"],
                                      "period": "2025-03", "format": "xlsx"})
    assert r.status_code == 200, r.text
    assert '#,##0.00 "CHF"' in _number_formats(r.content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    it = {row[0]: row for row in book.get_sheet_by_name("Roll-up").to_python()[1:]}["IT"]
    assert (it[12], it[13]) == (150000.0, 180000.0)  # numbers, not text


def test_excel_pack_in_the_default_euro(as_: Clients, data: Data, world: World,
                                        hub_money: Hub) -> None:
    hub_money("EUR", "en_GB")
    r = as_("admin").get(API, params={"department_id": world.departments["IT"],
                                      "period": "2025-03", "format": "xlsx"})
    assert '"€"#,##0.00' in _number_formats(r.content)
