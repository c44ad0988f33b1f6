"""Print pages to PDF: WeasyPrint over self-contained HTML, with no access to any URL."""

from __future__ import annotations


def pdf_from_html(html: str) -> bytes:
    """Render self-contained HTML to PDF bytes; only inline ``data:`` resources load (a name
    holding ``<img src="http://...">`` fetches nothing)."""
    # Imported late: Pango's start-up is only paid by PDF requests.
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped, unused-ignore]

    fetcher = URLFetcher(allowed_protocols=("data",))
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
