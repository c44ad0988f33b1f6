"""epmo.money: the hub's currency and locale (EPMO_CURRENCY, EPMO_LOCALE) through Babel, and the
settings' checks; one formatter for pages, print pages, spreadsheets (and epmo.js for charts)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from pydantic import ValidationError

from epmo import money
from epmo.config import Settings

Hub = Callable[[str, str], None]
NBSP, NNBSP = "\xa0", "\u202f"


@pytest.fixture
def hub(hub_money: Hub) -> Hub:
    """The hub's currency and locale for one test (tests/conftest.py)."""
    return hub_money


@pytest.mark.parametrize(("currency", "locale", "value", "full"), [
    ("EUR", "en_GB", Decimal("1234567"), "€1,234,567.00"),
    ("EUR", "de_DE", Decimal("1234567"), f"1.234.567,00{NBSP}€"),
    ("EUR", "fr_FR", Decimal("1234567.5"), f"1{NNBSP}234{NNBSP}567,50{NBSP}€"),
    ("USD", "en_US", -53000, "-$53,000.00"),
    ("GBP", "en_GB", 6039000.0, "£6,039,000.00"),  # a float is not 6.039e+06
    ("JPY", "ja_JP", 1234567, "￥1,234,567"),  # the currency's own decimals: none
    ("CHF", "de_CH", Decimal("53000.00"), f"CHF{NBSP}53\u2019000.00"),  # apostrophe groups
    ("EUR", "en_GB", 0.1, "€0.10"),
])
def test_full_amounts(hub: Hub, currency: str, locale: str, value: Decimal | float,
                      full: str) -> None:
    hub(currency, locale)
    assert money.money(value) == full


@pytest.mark.parametrize(("currency", "locale", "value", "short"), [
    ("EUR", "en_GB", 6_539_000.0, "€6.5M"),
    ("EUR", "en_GB", Decimal("53000.00"), "€53K"),
    ("EUR", "en_GB", -53000, "-€53K"),
    ("EUR", "en_GB", Decimal("999.49"), "€999"),
    ("EUR", "de_DE", 1_200_000, f"1,2{NBSP}Mio.{NBSP}€"),
    ("EUR", "fr_FR", 53000, f"53{NBSP}k{NBSP}€"),
    ("EUR", "de_DE", Decimal("250000.35"), f"250.000{NBSP}€"),  # German has no short thousands
    ("USD", "en_US", 2_500_000_000, "$2.5B"),
])
def test_compact_amounts(hub: Hub, currency: str, locale: str, value: Decimal | float,
                         short: str) -> None:
    hub(currency, locale)
    assert money.money_compact(value) == short


def test_unknown_is_empty_and_signs_are_kept(hub: Hub) -> None:
    hub("EUR", "en_GB")
    assert money.money(None) == money.money_compact(None) == money.number(None) == ""
    assert money.measure(None, "money") == ""
    assert money.money(Decimal("250.5"), signed=True) == "+€250.50"
    assert money.money(-250, signed=True) == "-€250.00"
    assert money.money(0, signed=True) == "€0.00"
    assert money.money_compact(1_500_000, signed=True) == "+€1.5M"


def test_another_currency_in_the_hubs_locale(hub: Hub) -> None:
    hub("EUR", "de_DE")  # a business case in dollars, read by a German hub
    assert money.money(1234.5, "USD") == f"1.234,50{NBSP}$"
    assert money.money_compact(2_000_000, "USD") == f"2{NBSP}Mio.{NBSP}$"


def test_numbers_and_benefit_units(hub: Hub) -> None:
    hub("EUR", "de_DE")
    assert money.number(1234.5) == "1.234,50" and money.number(1234567, 0) == "1.234.567"
    assert money.measure(Decimal("1500.00"), "money") == f"1.500,00{NBSP}€"
    assert money.measure(Decimal("120.50"), "hours") == "120,5"


@pytest.mark.parametrize(("currency", "locale", "code"), [
    ("EUR", "en_GB", '"€"#,##0.00'),
    ("EUR", "de_DE", '#,##0.00 "€"'),
    ("JPY", "en_GB", '"JP¥"#,##0'),
    ("USD", "en_US", '"$"#,##0.00'),
])
def test_spreadsheet_number_format(hub: Hub, currency: str, locale: str, code: str) -> None:
    hub(currency, locale)
    assert money.excel_format() == code


def test_browser_gets_a_bcp47_tag(hub: Hub) -> None:
    hub("eur", "de-DE")  # lower case and a hyphen are accepted and normalised
    assert (money.currency(), money.locale(), money.browser_locale()) == ("EUR", "de_DE", "de-DE")


def test_defaults_are_euro_and_british_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EPMO_CURRENCY", raising=False)
    monkeypatch.delenv("EPMO_LOCALE", raising=False)
    settings = Settings()
    assert (settings.currency, settings.locale) == ("EUR", "en_GB")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("currency", "EURO", "EPMO_CURRENCY 'EURO' is not an ISO 4217 currency code"),
    ("currency", "XYZ", "EPMO_CURRENCY 'XYZ' is not an ISO 4217 currency code"),
    ("currency", "", "EPMO_CURRENCY '' is not an ISO 4217 currency code"),
    ("locale", "xx_YY", "EPMO_LOCALE 'xx_YY' is not a known locale"),
    ("locale", "German", "EPMO_LOCALE 'German' is not a known locale"),
])
def test_a_wrong_setting_is_named_in_words(field: str, value: str, words: str) -> None:
    with pytest.raises(ValidationError) as failure:
        Settings(**{field: value})
    assert words in str(failure.value)
