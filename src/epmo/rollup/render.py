"""The executive pack as a file: PDF (an HTML print template through WeasyPrint) or Excel."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

from epmo.files.pdf import pdf_from_html, print_templates
from epmo.money import excel_format
from epmo.rollup.charts import BANDS, pack_charts
from epmo.rollup.schemas import DIMENSIONS, Pack, RollupRow
from epmo.tabular import workbook

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
COLOURS: Final = {"green": "#2fb344", "amber": "#f59f00", "red": "#d63939", "unknown": "#adb5bd"}
ARROWS: Final = {"improved": "▲", "worsened": "▼", "unchanged": "▶", "new": "●"}
_env = print_templates(TEMPLATES)


def file_name(pack: Pack, extension: str) -> str:
    """A download name such as ``status-pack-IT-2025-03.pdf``."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in pack.subject.code)
    return f"status-pack-{safe}-{pack.period}.{extension}"


def to_html(pack: Pack) -> str:
    """The pack as a self-contained print page (no external URLs)."""
    template = _env.get_template("rollup/pack.html")
    return template.render(pack=pack, colours=COLOURS, arrows=ARROWS, dimensions=DIMENSIONS,
                           charts=pack_charts(pack))


def to_pdf(pack: Pack) -> bytes:
    """The print page as PDF (no URL is fetched: ``files.pdf``)."""
    return pdf_from_html(to_html(pack))


Cell = str | int | float | date | None
Writer = Callable[[Any, int, int, Any], None]


def to_xlsx(pack: Pack) -> bytes:
    """The pack as an Excel workbook: one sheet per section, numbers as numbers."""
    buffer = io.BytesIO()
    book = workbook(buffer, in_memory=True)
    formats = _formats(book)
    _summary(book, pack, formats)
    _sheet(book, "Roll-up", ROLLUP_HEADER, [_rollup_cells(r) for r in pack.rollup], formats)
    _sheet(book, "Programmes", ROLLUP_HEADER, [_rollup_cells(r) for r in pack.programmes],
           formats)
    _sheet(book, "RAG matrix", MATRIX_HEADER, [
        [m.code, m.name, m.department, m.overall, m.reported, m.derived,
         *(m.dimensions.get(d) for d in DIMENSIONS), m.reported_for,
         "yes" if m.carried_forward else "no", float(m.planned)]
        for m in pack.matrix], formats)
    _sheet(book, "Top risks", RISK_HEADER, [
        [r.project_code, r.project_name, r.title, r.probability, r.impact, r.score, r.owner,
         r.response, r.due_on] for r in pack.risks], formats)
    _sheet(book, "Compliance", COMPLIANCE_HEADER, [
        [c.code, c.name, c.taken_on, float(c.score), c.projects, c.blocking, c.warnings]
        for c in pack.compliance] or [[pack.compliance_note]], formats)
    _sheet(book, "Narrative", NARRATIVE_HEADER, [
        [n.code, n.name, n.department, n.health, n.reported_for, n.achievements,
         n.decisions_needed] for n in pack.narrative], formats)
    for chart in pack_charts(pack):
        _sheet(book, chart.sheet, chart.header, chart.rows, formats)
    _department_chart(book, len(pack.departments))
    book.close()
    return buffer.getvalue()


ROLLUP_HEADER: Final = (
    "Code", "Name", "Depth", "Rule", "Colour", "Score", "Projects", "Green", "Amber", "Red",
    "Unknown", "Carried forward", "Planned", "Forecast", "Previous colour", "Trend",
    "Reported differs from derived")
MATRIX_HEADER: Final = ("Code", "Project", "Department", "Overall", "Reported", "Derived", *(
    d.capitalize() for d in DIMENSIONS), "Reported for", "Carried forward", "Planned")
RISK_HEADER: Final = ("Project", "Project name", "Risk", "Probability", "Impact", "Score",
                      "Owner", "Response", "Due")
NARRATIVE_HEADER: Final = ("Project", "Name", "Department", "Health", "Reported for",
                           "Achievements", "Decisions needed")
COMPLIANCE_HEADER: Final = ("Code", "Department", "Taken on", "Score", "Projects", "Blocking",
                            "Warnings")


def _department_chart(book: Any, rows: int) -> None:
    """A native stacked bar chart of health by department beside its numbers (Excel draws
    it from the sheet's cells, so it follows any edit)."""
    if not rows:
        return
    sheet_name = "Health by department"
    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    for col, band in enumerate(BANDS, start=3):
        chart.add_series({
            "name": [sheet_name, 0, col], "categories": [sheet_name, 1, 1, rows, 1],
            "values": [sheet_name, 1, col, rows, col], "fill": {"color": band.colour},
            "data_labels": {"value": True}})
    chart.set_title({"name": "Health by department"})
    chart.set_y_axis({"reverse": True})  # first department on top, as in the sheet
    chart.set_size({"width": 720, "height": max(240, 28 * rows + 90)})
    book.get_worksheet_by_name(sheet_name).insert_chart(1, 9, chart)


def _rollup_cells(row: RollupRow) -> list[Cell]:
    """One roll-up row as cells."""
    counts = row.counts
    return [row.code, row.name, row.depth, row.rule, row.colour,
            None if row.score is None else float(row.score), row.count, counts.green,
            counts.amber, counts.red, counts.unknown, row.carried_forward, float(row.planned),
            float(row.forecast), row.previous_colour, row.trend or "", row.disagreements]


def _formats(book: Any) -> dict[str, Any]:
    """Cell formats: header, dates, money, and one fill per colour."""
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#e9ecef"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "money": book.add_format({"num_format": excel_format()}),
        "title": book.add_format({"bold": True, "font_size": 14}),
    }
    for name, colour in COLOURS.items():
        formats[name] = book.add_format({"bg_color": colour, "font_color": "#ffffff"})
    return formats


def _summary(book: Any, pack: Pack, formats: dict[str, Any]) -> None:
    """The first sheet: what the pack is about."""
    sheet = book.add_worksheet("Summary")
    sheet.write(0, 0, f"Executive status pack: {pack.subject.name}", formats["title"])
    facts: Sequence[tuple[str, Cell]] = (
        ("Subject", f"{pack.subject.kind} {pack.subject.code}"), ("Period", pack.period),
        ("Compared with", pack.previous_period), ("Rule", pack.rule or "each portfolio's own"),
        ("Generated on", pack.generated_on), ("Projects with a status", pack.matrix_total),
        ("Work", pack.status), ("Health that counts", pack.health_basis),
        ("Reported differs from derived", pack.disagreements),
        ("Compliance", pack.compliance_note))
    for i, (label, value) in enumerate(facts, start=2):
        sheet.write(i, 0, label, formats["header"])
        _write(sheet, i, 1, value, formats)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 48)


def _sheet(book: Any, name: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
           formats: dict[str, Any]) -> None:
    """A sheet with a header row and one row per item."""
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, header, formats["header"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write(sheet, r, c, value, formats, header[c] if c < len(header) else "")
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(header) - 1, 14)


def _write(sheet: Any, row: int, col: int, value: Cell, formats: dict[str, Any],
           heading: str = "") -> None:
    """One cell, typed: dates as dates, money formatted, colours filled, None empty."""
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, int | float):
        money = heading in ("Planned", "Forecast", "Variance")
        sheet.write_number(row, col, value, formats["money"] if money else None)
    elif value in COLOURS:
        sheet.write_string(row, col, value, formats[value])
    else:
        sheet.write_string(row, col, value)
