"""Charts as inline SVG for print pages (WeasyPrint runs no JavaScript): pure functions from
labels and numbers to markup, every text escaped.

Each chart is one ``<svg role="img">`` with a ``<title>`` and an ``aria-label``; the print page
puts a small table of the same numbers after it, for screen readers and for print.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
BAR = 16  # bar thickness, px
GAP = 6
FONT = 10
LABEL_CHARS = 34  # longest row label before it is trimmed with "…"
INK, MUTED, GRID = "#1d273b", "#667382", "#dde1e7"


@dataclass(frozen=True, slots=True)
class Band:
    """One part of a stacked bar: its name and fill."""

    name: str
    colour: str


def trim(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def number(value: float) -> str:
    """A figure as a label: whole numbers without decimals, thousands separated."""
    return f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"


def _left(labels: Iterable[str]) -> float:
    """Room for the row labels (trimmed to LABEL_CHARS), about 6.3 px a character."""
    return 12 + 6.3 * max((len(trim(label, LABEL_CHARS)) for label in labels), default=0)


def _text(x: float, y: float, body: str, anchor: str = "start", fill: str = INK,
          size: int = FONT, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}"{weight}>{escape(body)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
            f'fill="{escape(fill)}">{inner}</rect>')


def _svg(key: str, title: str, height: float, parts: Iterable[str],
         legend: Sequence[Band] = ()) -> Markup:
    """The frame: an accessible ``<svg>`` with its title, a legend and the parts."""
    ident = escape(f"chart-{key}")
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
            f'aria-label="{escape(title)}" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="DejaVu Sans, sans-serif">',
            f"<title>{escape(title)}</title>", _text(0, 12, title, size=11, bold=True)]
    x = 0.0
    for band in legend:
        head += [_rect(x, 20, 10, 10, band.colour), _text(x + 14, 29, band.name, fill=MUTED)]
        x += 24 + 6.2 * len(band.name)
    return Markup("".join([*head, *parts, "</svg>"]))  # every text was escaped above


def _empty(key: str, title: str) -> Markup:
    return _svg(key, title, 40, [_text(0, 32, "Nothing to show.", fill=MUTED)])


def stacked_bars(key: str, title: str, rows: Sequence[tuple[str, Sequence[int]]],
                 bands: Sequence[Band]) -> Markup:
    """Horizontal bars, one per row, split into ``bands`` (counts), each part numbered."""
    if not rows:
        return _empty(key, title)
    left, top = _left(label for label, _ in rows), 40.0
    most = max(max(sum(values) for _, values in rows), 1)
    scale = (WIDTH - left - 40) / most
    parts: list[str] = []
    for i, (label, values) in enumerate(rows):
        y = top + i * (BAR + GAP)
        parts.append(_text(left - 6, y + BAR - 4, trim(label, LABEL_CHARS), "end"))
        x = left
        for band, value in zip(bands, values, strict=True):
            width = value * scale
            parts.append(_rect(x, y, width, BAR, band.colour, f"{label}: {value} {band.name}"))
            if value and width >= 14:
                parts.append(_text(x + width / 2, y + BAR - 4, str(value), "middle", "#ffffff"))
            x += width
        parts.append(_text(x + 4, y + BAR - 4, str(sum(values)), fill=MUTED))
    return _svg(key, title, top + len(rows) * (BAR + GAP) + 4, parts, bands)


def stacked_columns(key: str, title: str, columns: Sequence[tuple[str, Sequence[int]]],
                    bands: Sequence[Band]) -> Markup:
    """Vertical stacked columns (one per month, say), each part numbered, totals on top."""
    if not columns:
        return _empty(key, title)
    top, plot, base = 40.0, 150.0, 40.0
    most = max(max(sum(values) for _, values in columns), 1)
    step = (WIDTH - base) / len(columns)
    width = min(60.0, step * 0.6)
    parts = [f'<line x1="{base}" y1="{top + plot}" x2="{WIDTH}" y2="{top + plot}" '
             f'stroke="{GRID}"/>']
    for i, (label, values) in enumerate(columns):
        x, y = base + i * step + (step - width) / 2, top + plot
        for band, value in zip(bands, values, strict=True):
            height = value * plot / most
            y -= height
            parts.append(_rect(x, y, width, height, band.colour, f"{label}: {value} {band.name}"))
            if value and height >= 12:
                parts.append(_text(x + width / 2, y + height / 2 + 4, str(value), "middle",
                                   "#ffffff"))
        parts.append(_text(x + width / 2, y - 3, str(sum(values)), "middle", MUTED))
        parts.append(_text(x + width / 2, top + plot + 14, trim(label, 12), "middle"))
    return _svg(key, title, top + plot + 22, parts, bands)


def bars(key: str, title: str, rows: Sequence[tuple[str, float]], colour: str,
         unit: str = "") -> Markup:
    """Horizontal bars from zero, one per row, each with its figure at its end."""
    if not rows:
        return _empty(key, title)
    left, top = _left(label for label, _ in rows), 24.0
    most = max(max(value for _, value in rows), 1)
    scale = (WIDTH - left - 70) / most
    parts: list[str] = []
    for i, (label, value) in enumerate(rows):
        y, width = top + i * (BAR + GAP), max(value, 0) * scale
        shown = f"{number(value)}{unit}"
        parts += [_text(left - 6, y + BAR - 4, trim(label, LABEL_CHARS), "end"),
                  _rect(left, y, width, BAR, colour, f"{label}: {shown}"),
                  _text(left + width + 4, y + BAR - 4, shown, fill=MUTED)]
    return _svg(key, title, top + len(rows) * (BAR + GAP) + 4, parts)


def diverging_bars(key: str, title: str, rows: Sequence[tuple[str, float]],
                   negative: Band, positive: Band) -> Markup:
    """Bars left (below zero) or right (above zero) of a zero line, one per row."""
    if not rows:
        return _empty(key, title)
    left, top = _left(label for label, _ in rows), 40.0
    reach = max(max(abs(value) for _, value in rows), 1)
    half = (WIDTH - left - 180) / 2  # 90 px each side for the figures
    zero = left + 90 + half
    scale = half / reach
    bottom = top + len(rows) * (BAR + GAP)
    parts = [f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{bottom:.1f}" '
             f'stroke="{MUTED}"/>']
    for i, (label, value) in enumerate(rows):
        y, width = top + i * (BAR + GAP), abs(value) * scale
        band = negative if value < 0 else positive
        x = zero - width if value < 0 else zero
        shown = f"{'+' if value > 0 else ''}{number(value)}"
        end = (x - 4, "end") if value < 0 else (x + width + 4, "start")
        parts += [_text(left - 6, y + BAR - 4, trim(label, LABEL_CHARS), "end"),
                  _rect(x, y, width, BAR, band.colour, f"{label}: {shown}"),
                  _text(end[0], y + BAR - 4, shown, end[1], MUTED)]
    return _svg(key, title, bottom + 4, parts, (negative, positive))
