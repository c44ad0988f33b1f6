"""Money in the hub's currency and locale (EPMO_CURRENCY, EPMO_LOCALE), formatted by Babel.

One place for every amount a person reads: page filters (``web.templating``), print pages
and PDFs (``files.pdf``), spreadsheet cell formats (``files.writers``, ``rollup.render``) and
the chart settings base.html hands to ``epmo.money`` in the browser. The API keeps numbers.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
)

from epmo.config import get_settings

Amount = Decimal | float | int


def currency() -> str:
    """The hub's ISO 4217 currency code (EPMO_CURRENCY)."""
    return get_settings().currency


def locale() -> str:
    """The hub's locale as Babel spells it, e.g. ``de_DE`` (EPMO_LOCALE)."""
    return get_settings().locale


def browser_locale() -> str:
    """The hub's locale as a BCP 47 tag for the browser's Intl API, e.g. ``de-DE``."""
    return locale().replace("_", "-")


def money(value: Amount | None, code: str | None = None, *, signed: bool = False) -> str:
    """The full amount with symbol, separators and the currency's decimals ("" when unknown).

    ``code`` names another currency (a business case keeps its own); the locale is the hub's.
    ``signed`` puts a plus before a positive amount (a variance)."""
    if value is None:
        return ""
    text = format_currency(_decimal(value), code or currency(), locale=locale())
    return _sign(value, text, signed)


def money_compact(value: Amount | None, code: str | None = None, *,
                  signed: bool = False) -> str:
    """The amount in short words where space is short, e.g. ``€6M``, ``1,2 Mio. €`` ("" when
    unknown); show :func:`money` beside it on hover."""
    if value is None:
        return ""
    amount = _decimal(value)
    if not _abbreviated(amount):
        text = format_currency(amount, code or currency(), locale=locale(),
                               currency_digits=False, format=_whole_pattern())
    else:
        text = format_compact_currency(amount, code or currency(), locale=locale(),
                                       fraction_digits=1)
    return _sign(value, text, signed)


def number(value: Amount | None, decimals: int = 2) -> str:
    """A plain number in the hub's locale with ``decimals`` places ("" when unknown)."""
    if value is None:
        return ""
    places = "0" * decimals
    pattern = "#,##0" + (f".{places}" if decimals else "")
    return format_decimal(_decimal(value), format=pattern, locale=locale())


def measure(value: Amount | None, unit: str) -> str:
    """An amount of a benefit's unit: money when the unit is ``money``, else the number in the
    hub's locale with the decimals it has ("" when unknown)."""
    if value is None:
        return ""
    if unit == "money":
        return money(value)
    return format_decimal(_decimal(value), locale=locale())


def symbol(code: str | None = None) -> str:
    """The currency's symbol in the hub's locale, e.g. ``€`` or ``£``."""
    return get_currency_symbol(code or currency(), locale=locale())


def excel_format(code: str | None = None) -> str:
    """A spreadsheet number format for money cells: the locale's currency pattern with the
    symbol quoted (the viewer's spreadsheet shows its own separators; values stay numbers)."""
    pattern = str(Locale.parse(locale()).currency_formats["standard"].pattern)
    positive = pattern.split(";")[0].replace("\xa0", " ")
    digits = get_currency_precision(code or currency())
    number_part = "#,##0" + ("." + "0" * digits if digits else "")
    shown = positive.replace("#,##0.00", number_part).replace("#,##,##0.00", number_part)
    return shown.replace("¤", '"' + symbol(code).replace('"', "") + '"')


def _abbreviated(amount: Decimal) -> bool:
    # The locale's short form for this size, e.g. "¤0K"; "0" (German thousands, Japanese
    # under 10 000) means none, and then the whole amount is shorter than the plain digits.
    if abs(amount) < 1000:
        return False
    size = str(10 ** min(len(str(int(abs(amount)))) - 1, 14))
    forms = Locale.parse(locale()).compact_currency_formats["short"]["other"]
    return size not in forms or forms[size].pattern != "0"


def _whole_pattern() -> str:
    # Small amounts in compact form: no cents, as 53 k has none.
    pattern = str(Locale.parse(locale()).currency_formats["standard"].pattern).split(";")[0]
    return pattern.replace("#,##,##0.00", "#,##,##0").replace("#,##0.00", "#,##0")


def _decimal(value: Amount) -> Decimal:
    # Floats go through their shortest repr, so 0.1 shows as 0.10, not 0.1000000000000000055.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _sign(value: Amount, text: str, signed: bool) -> str:
    return "+" + text if signed and value > 0 else text


# The Jinja filters of pages and print pages: ``x|money`` (full), ``x|money_short`` (compact;
# put ``x|money`` in the element's title), ``x|money(case.currency)``, ``x|money(signed=True)``.
FILTERS = {"money": money, "money_short": money_compact, "number": number, "measure": measure}
