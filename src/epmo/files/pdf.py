"""Print pages to PDF: Jinja2 print templates, and WeasyPrint over the self-contained HTML
they give, with no access to any URL."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from epmo import money


def print_templates(folder: Path) -> Environment:
    """The Jinja2 environment of a domain's print pages (autoescaped, with the ``money``
    filters of ``epmo.money``); print pages render outside the web app, so they do not use
    its shared environment."""
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape())
    env.filters.update(money.FILTERS)
    return env


def pdf_from_html(html: str) -> bytes:
    """Render self-contained HTML to PDF bytes; only inline ``data:`` resources load (a name
    holding ``<img src="http://...">`` fetches nothing)."""
    # Imported late: Pango's start-up is only paid by PDF requests.
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped, unused-ignore]

    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
