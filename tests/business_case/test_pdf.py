"""The business case PDF: a real PDF whose bookmarks (made from its headings) name the case and
every option, hostile names included; the print page it is made from holds the figures."""

from __future__ import annotations

import re
import zlib
from typing import Any

from tests.business_case.conftest import API, HOSTILE
from tests.conftest import Clients

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
TITLE = re.compile(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)")


def bookmarks(pdf: bytes) -> list[str]:
    """The outline titles of a PDF: WeasyPrint writes one per heading, inside compressed
    object streams, as a literal string or UTF-16 hex."""
    blobs = [pdf]
    for found in STREAM.finditer(pdf):
        try:
            blobs.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    titles = []
    for blob in blobs:
        for raw in TITLE.findall(blob):
            if raw.startswith(b"<"):
                data = bytes.fromhex(raw[1:-1].decode())
                titles.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff")
                              else data.decode("latin-1"))
            else:
                titles.append(re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1"))
    return titles


def test_pdf_names_every_option(as_: Clients, case: dict[str, Any]) -> None:
    case_id, b = case["case"]["id"], case["options"]["B"]
    as_("admin").patch(f"{API}/business-case-options/{b['id']}",
                       json={"version": b["version"], "name": HOSTILE, "recommended": True})
    r = as_("exec").get(f"/business-case/{case_id}/pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and r.content.rstrip().endswith(b"%%EOF")
    assert f'filename="business-case-{case_id}-epmo-2027.pdf"' in r.headers[
        "content-disposition"]
    titles = bookmarks(r.content)
    assert "Business case: EPMO 2027" in titles
    assert "Option: A" in titles and f"Option: {HOSTILE} (recommended)" in titles


def test_print_page_holds_the_summary_and_figures(as_: Clients, case: dict[str, Any]) -> None:
    case_id, a = case["case"]["id"], case["options"]["A"]
    html = as_("it_lead").get(f"/business-case/{case_id}/print").text
    assert "No option is recommended yet. The highest net present value is <strong>A</strong>: €243." in html
    as_("admin").patch(f"{API}/business-case-options/{a['id']}",
                       json={"version": a["version"], "recommended": True})
    html = as_("it_lead").get(f"/business-case/{case_id}/print").text
    assert "The EPMO recommends: A.</strong>" in html
    # PV of costs 1248.69, of benefits 1492.11: 1 - 1248.69 / 1492.11
    assert "pays back in 2.00 years" in html and "up to 16.31 % lower" in html
    assert '<tr data-change="30">' in html and "Cumulative, discounted" in html
    # the chart: one line per option from -2000 (B's year 0, the bottom: y = 185) to 243.43
    # (A's NPV, the top: y = 5); A's year 0, -1000, at (243.43 + 1000) / 2243.43 x 180 + 5
    lines = re.findall(r'<polyline points="([^"]+)"', html)
    assert len(lines) == 2 and lines[0].split()[0] == "70.0,104.8"
    assert lines[0].split()[-1] == "550.0,5.0" and lines[1].split()[0] == "70.0,185.0"
    assert "http" not in html.replace("http-equiv", "")  # self-contained: nothing to fetch


def test_print_page_formats_the_cases_currency_in_the_hubs_locale(
        as_: Clients, case: dict[str, Any], hub_money: Any) -> None:
    hub_money("GBP", "de_DE")  # the case keeps its EUR; the hub's locale shapes the numbers
    html = as_("it_lead").get(f"/business-case/{case['case']['id']}/print").text
    found = re.search(r"The highest net present value is <strong>A</strong>: ([^<]*)\.</p>", html)
    assert found and re.fullmatch(r"243,\d\d\xa0€", found.group(1)), found
    assert "£" not in html
