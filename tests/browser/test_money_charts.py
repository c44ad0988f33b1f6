"""The hub's currency and locale reach the charts: a server set to EPMO_LOCALE=de_DE hands
them to epmo.money (static/epmo.js), which the overview's budget chart uses for its axis
labels and tooltips, in real Chromium (Intl.NumberFormat)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ADMIN, _free_port, _wait_until_up, demo_env, sign_in_watched

pytestmark = pytest.mark.browser
GERMAN_AMOUNT = re.compile(r"\d{1,3}(\.\d{3})*,\d\d\u00a0€")  # 1.234.567,89 €


@pytest.fixture(scope="module")
def german_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``epmo serve`` with the demo, its money in euros shown the German way."""
    env = demo_env(tmp_path_factory.mktemp("german")) | {"EPMO_CURRENCY": "EUR",
                                                         "EPMO_LOCALE": "de_DE"}
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "epmo", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, proc)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_budget_chart_axis_and_tooltip_in_the_hubs_locale(german_server: str,
                                                          browser: object) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    context, page = sign_in_watched(browser, german_server, *ADMIN, errors)  # type: ignore[arg-type]
    page.goto(f"{german_server}/")
    expect(page.locator("#chart-department canvas")).to_have_count(1)
    assert page.evaluate("() => [document.documentElement.dataset.locale, "
                         "document.documentElement.dataset.currency]") == ["de-DE", "EUR"]
    axis = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chart-department'));
        return chart.getOption().yAxis[0].axisLabel.formatter(1200000);
    }""")
    assert axis == "1,2\u00a0Mio.\u00a0€"
    page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-department'))
        .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})""")
    tooltip = page.locator("#chart-department div").filter(has_text="Planned").last
    expect(tooltip).to_be_visible()
    assert GERMAN_AMOUNT.search(tooltip.inner_text()), tooltip.inner_text()
    # the same formatter, asked directly: full, compact, another currency, unknown
    assert page.evaluate("() => [epmo.money(1234567.5), epmo.money(53000, true), "
                         "epmo.money(-1234.5, false, 'USD'), epmo.money(null)]") == [
        "1.234.567,50\u00a0€", "53.000\u00a0€", "-1.234,50\u00a0$", ""]
    assert errors == []
    context.close()
