"""The hub's currency and locale in rendered pages (EPMO_CURRENCY, EPMO_LOCALE): the overview's
cards and tables, a project's budgets, the admin page that names the setting, and what the
page hands the chart formatter (epmo.money in static/epmo.js)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.conftest import Clients
from tests.overview.conftest import Portfolio

Hub = Callable[[str, str], None]
NBSP, NNBSP = "\xa0", "\u202f"


def _card(html: str, testid: str) -> tuple[str, str]:
    """A KPI card's hover title and shown figure."""
    found = re.search(rf'data-testid="{testid}" title="([^"]*)">.*?class="h2[^"]*">([^<]*)<',
                      html, re.S)
    assert found, testid
    return found.group(1), found.group(2)


def test_german_hub_shows_euros_with_german_separators(as_: Clients, portfolio: Portfolio,
                                                       hub_money: Hub) -> None:
    hub_money("EUR", "de_DE")
    html = as_("admin").get("/").text
    assert '<html lang="en" data-locale="de-DE" data-currency="EUR">' in html
    # planned 250000.35: compact on the card, the full amount on hover
    assert _card(html, "kpi-planned") == (f"250.000,35{NBSP}€", f"250.000{NBSP}€")
    assert _card(html, "kpi-forecast") == (f"279.500,35{NBSP}€", f"279.500{NBSP}€")
    # variance +29500 (forecast over plan), signed
    assert _card(html, "kpi-variance")[1] == f"+29.500{NBSP}€"
    assert f'title="170.000,25{NBSP}€' in html  # IT's rolled-up planned, in the table
    assert "250000.35" not in html.split('id="overview-data"')[0]  # no raw Decimal shown


def test_project_page_shows_full_amounts_in_the_hubs_currency(
        as_: Clients, portfolio: Portfolio, hub_money: Hub) -> None:
    hub_money("GBP", "en_GB")
    html = as_("admin").get(f"/projects/{portfolio.projects['P1']}").text
    assert "£100,000.00" in html and "£40,000.50" in html and "£110,000.00" in html
    assert "100000.00" not in html.replace('value="100000.00"', "")


def test_swiss_hub_in_the_french_locale(as_: Clients, portfolio: Portfolio,
                                        hub_money: Hub) -> None:
    hub_money("CHF", "fr_CH")
    html = as_("admin").get("/").text
    assert 'data-locale="fr-CH" data-currency="CHF"' in html
    assert _card(html, "kpi-planned")[0] == f"250{NNBSP}000,35{NBSP}CHF"



def test_admin_page_names_the_setting_and_how_to_change_it(as_: Clients,
                                                           hub_money: Hub) -> None:
    hub_money("USD", "en_US")
    html = as_("admin").get("/admin/users").text
    assert 'data-testid="hub-currency">USD<' in html and 'data-testid="hub-locale">en-US<' in html
    shown = re.search(r'data-testid="hub-money-example">([^<]*)<', html)
    assert shown is not None, "the admin page shows no example amount"
    assert shown.group(1) == "$1,234,567.89", f"the example shows {shown.group(1)!r}"


def test_the_example_follows_the_setting_after_the_page_was_compiled(
        as_: Clients, hub_money: Hub) -> None:
    """Jinja folds a filter of a literal once, when it compiles a template: the example is a
    variable, so a page compiled under one setting shows the next one's money."""
    as_("admin").get("/admin/users")  # compiled under the default setting
    hub_money("GBP", "en_GB")
    html = as_("admin").get("/admin/users").text
    shown = re.search(r'data-testid="hub-money-example">([^<]*)<', html)
    assert shown is not None and shown.group(1) == "£1,234,567.89", shown
    assert "EPMO_CURRENCY" in html and "EPMO_LOCALE" in html and "restart" in html
