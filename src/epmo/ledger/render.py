"""The value report as a file: PDF (an HTML print template through WeasyPrint) or Excel."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from epmo.files.pdf import pdf_from_html, print_templates
from epmo.ledger.models import CATEGORY_LABELS
from epmo.ledger.schemas import Totals, ValueReport
from epmo.money import excel_format
from epmo.tabular import safe_cell, workbook

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
_env = print_templates(TEMPLATES)
TOTAL_HEADER: Final = ("Hard savings realised", "Hard savings awaiting finance",
                       "Cost avoidance", "Days saved", "Risks reduced", "Entries")
ENTRY_HEADER: Final = ("Id", "Occurred on", "Quarter", "Department", "Project", "Category",
                       "Status", "Amount", "Days", "Description", "Evidence", "Evidence link",
                       "How it was computed", "Confirmed by", "Validated by")
MONEY_HEADERS: Final = frozenset({*TOTAL_HEADER[:3], "Amount"})  # cells in the hub's currency


def file_name(report: ValueReport, extension: str) -> str:
    """A download name such as ``value-report-2026-Q3.pdf``."""
    return f"value-report-{report.quarter}.{extension}"


def to_html(report: ValueReport, generated_on: date) -> str:
    """The report as a self-contained print page (no external URLs)."""
    return _env.get_template("ledger/report_pdf.html").render(
        report=report, labels=CATEGORY_LABELS, generated_on=generated_on)


def to_pdf(report: ValueReport, generated_on: date) -> bytes:
    """The print page as PDF (no URL is fetched: ``files.pdf``)."""
    return pdf_from_html(to_html(report, generated_on))


def _total_cells(found: Totals) -> list[Any]:
    return [float(found.hard_realised), float(found.hard_awaiting), float(found.cost_avoidance),
            found.days_saved, found.risks_reduced, found.entries]


def to_xlsx(report: ValueReport, generated_on: date) -> bytes:
    """The report as an Excel workbook: quarters, departments, entries; numbers as numbers."""
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    formats = {"header": book.add_format({"bold": True, "bg_color": "#e9ecef"}),
               "money": book.add_format({"num_format": excel_format()})}
    sheet = book.add_worksheet("Quarters")
    sheet.write(0, 0, f"Value report {report.quarter} (generated {generated_on})",
                formats["header"])
    _rows(sheet, 2, ("Quarter", *TOTAL_HEADER), [
        [line.quarter, *_total_cells(line.totals)] for line in report.quarters]
        + [["Year", *_total_cells(report.year)]], formats)
    _rows(book.add_worksheet("Departments"), 0, ("Code", "Department", *TOTAL_HEADER), [
        [line.code, line.name, *_total_cells(line.totals)] for line in report.departments]
        + [["Total", "", *_total_cells(report.totals)]], formats)
    _rows(book.add_worksheet("Entries"), 0, ENTRY_HEADER, [
        [e.id, e.occurred_on.isoformat(), e.quarter, e.department, e.project_code,
         CATEGORY_LABELS.get(e.category, e.category), e.status,
         None if e.amount is None else float(e.amount), e.days, e.description,
         e.evidence_label, e.evidence_url, e.basis, e.confirmed_by, e.validated_by]
        for e in report.entries], formats)
    book.close()
    return buffer.getvalue()


def _rows(sheet: Any, first: int, header: Sequence[str], rows: Sequence[Sequence[Any]],
          formats: dict[str, Any]) -> None:
    sheet.write_row(first, 0, header, formats["header"])
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row):
            if value is not None:
                shown = formats["money"] if header[c] in MONEY_HEADERS else None
                sheet.write(r, c, safe_cell(value), shown)
    sheet.set_column(0, len(header) - 1, 16)
