"""The diagnostic report as a file: a print page (HTML with an inline SVG radar) through
WeasyPrint, with no access to any URL."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any, Final

from markupsafe import Markup
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.diagnostics import views
from epmo.diagnostics.instrument import CAPABILITY_LABELS, LEVEL_NAMES
from epmo.diagnostics.models import DiagnosticRound
from epmo.diagnostics.schemas import CapabilityResult, ResultsRead
from epmo.files.pdf import pdf_from_html, print_templates

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
_env = print_templates(TEMPLATES)
WIDTH, HEIGHT, RADIUS = 560, 340, 120  # wide enough for the labels left and right


def _escape(text: str) -> str:
    return str(Markup.escape(text))


def radar_svg(capabilities: list[CapabilityResult]) -> Markup:
    """Capability means on a 0-5 radar, as inline SVG (no data: plotted at 0, marked "n/d")."""
    centre, middle, count = WIDTH / 2, HEIGHT / 2, max(len(capabilities), 3)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = 2 * math.pi * index / count - math.pi / 2
        return (round(centre + RADIUS * value / 5 * math.cos(angle), 1),
                round(middle + RADIUS * value / 5 * math.sin(angle), 1))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Maturity by capability">']
    for ring in range(1, 6):
        ring_points = " ".join(f"{x},{y}" for x, y in (point(i, ring) for i in range(count)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ccc"/>')
    shape = " ".join(f"{x},{y}" for x, y in (point(i, c.mean or 0.0)
                                             for i, c in enumerate(capabilities)))
    parts.append(f'<polygon points="{shape}" fill="rgba(32,107,196,0.25)" stroke="#206bc4"/>')
    for i, c in enumerate(capabilities):
        x, y = point(i, 5.6)
        anchor = "middle" if abs(x - centre) < 20 else ("start" if x > centre else "end")
        mean = "n/d" if c.mean is None else f"{c.mean:.1f}"
        parts.append(f'<text x="{x}" y="{y}" font-size="8" text-anchor="{anchor}">'
                     f'{_escape(c.label)} {mean}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heat_colour(mean: float | None) -> str:
    """A cell's background: red (0) to green (5); grey for no data."""
    if mean is None:
        return "#e9ecef"
    hue = round(120 * max(0.0, min(mean, 5.0)) / 5)
    return f"hsl({hue}, 60%, 80%)"


def to_html(results: ResultsRead, notes: list[tuple[str, str, str]], today: date,
            satisfaction: Any = None) -> str:
    """The report as a self-contained print page; ``satisfaction`` (the surveys' summary,
    added at merge) renders its section when given."""
    template = _env.get_template("diagnostics/print.html")
    return template.render(r=results, notes=notes, today=today, radar=radar_svg(
        results.capabilities), heat_colour=heat_colour, levels=LEVEL_NAMES, caps=CAPABILITY_LABELS,
        satisfaction=satisfaction)


def to_pdf(html: str) -> bytes:
    """PDF bytes of self-contained HTML; only inline ``data:`` resources load."""
    return pdf_from_html(html)


def pdf_of(session: Session, actor: Actor, found: DiagnosticRound, today: date,
           satisfaction: Any = None) -> tuple[bytes, str]:
    """The round's report as PDF bytes and a download name."""
    results = views.results(session, actor, found, today)
    html = to_html(results, views.notes(session, actor, found), today, satisfaction)
    return to_pdf(html), f"epmo-diagnostic-round-{found.id}.pdf"


def download(content: bytes, name: str) -> dict[str, Any]:
    """The keyword arguments of a PDF download response."""
    return {"content": content, "media_type": "application/pdf",
            "headers": {"Content-Disposition": f'attachment; filename="{name}"'}}
