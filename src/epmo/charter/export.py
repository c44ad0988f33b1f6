"""The charter as a PDF: WeasyPrint over the print page, with no access to any URL."""

from __future__ import annotations

from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped, unused-ignore]


def pdf_from_html(html: str) -> bytes:
    """Render self-contained HTML to PDF bytes; only inline ``data:`` resources load."""
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return bytes(pdf)
