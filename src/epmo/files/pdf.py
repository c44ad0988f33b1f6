"""Print pages to PDF: Jinja2 print templates, and WeasyPrint over the self-contained HTML
they give, with no access to any URL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape


def money(value: Decimal | None) -> str:
    """A sum with thousands separators and two decimals ("" when unknown)."""
    return "" if value is None else f"{value:,.2f}"


def print_templates(folder: Path) -> Environment:
    """The Jinja2 environment of a domain's print pages (autoescaped, with ``money``); print
    pages render outside the web app, so they do not use its shared environment."""
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape())
    env.filters["money"] = money
    return env


def pdf_from_html(html: str) -> bytes:
    """Render self-contained HTML to PDF bytes; only inline ``data:`` resources load (a name
    holding ``<img src="http://...">`` fetches nothing)."""
    # Imported late: Pango's start-up is only paid by PDF requests.
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped, unused-ignore]

    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
