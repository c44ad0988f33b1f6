"""The executive pack's charts (inline SVG in the print page, sheets in Excel) and narrative
(the red and amber projects' achievements and decisions needed), within the reader's scope."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.auth.service import actor_for
from epmo.files import svgcharts
from epmo.portfolio.models import Project
from epmo.reporting.models import StatusReport
from epmo.rollup import pack, render
from epmo.rollup.charts import BANDS
from tests.conftest import Clients
from tests.rollup.conftest import Data
from tests.rollup.test_pack import API, workbook
from tests.world import World

HOSTILE = '<script>alert("x")</script> & <b>Ops</b>'
LONG = "Cut-over rehearsed; " * 60  # 1,200 characters


def _actor(db: Session, world: World, user: str) -> Actor:
    return actor_for(db, db.get(User, world.users[user]))  # type: ignore[arg-type]


@pytest.fixture
def story(db: Session, data: Data) -> Data:
    """The module's enterprise with words, a slip, a hostile name and a project registered
    before 2025 that never reports (unknown health)."""
    projects = {p.code: p for p in db.scalars(select(Project).where(
        Project.id.in_(data.projects.values())))}
    projects["P3"].name = HOSTILE
    projects["P6"].created_at = datetime(2024, 12, 1)
    projects["P1"].baseline_finish = date(2025, 6, 30)
    projects["P4"].baseline_finish = date(2025, 9, 30)
    latest = {r.project_id: r for r in db.scalars(select(StatusReport).order_by(
        StatusReport.period_start))}
    p1, p3, p4 = (latest[data.projects[c]] for c in ("P1", "P3", "P4"))
    p1.achievements, p1.decisions_needed = LONG, "Approve the extra vendor budget."
    p1.forecast_finish = date(2025, 8, 14)  # 45 days late
    p3.achievements, p3.decisions_needed = "Racks installed.", ""
    p4.forecast_finish = date(2025, 10, 10)  # 10 days late
    db.flush()
    return data


def _html(db: Session, world: World, user: str, **subject: int) -> str:
    found = pack.get_pack(db, _actor(db, world, user), subject.get("department_id"),
                          subject.get("portfolio_id"), "2025-03", today=date(2025, 4, 2))
    return render.to_html(found)


def _svg(html: str, key: str) -> str:
    match = re.search(rf'<svg [^>]*id="chart-{key}".*?</svg>', html, re.S)
    assert match, f"no chart {key}"
    return match.group(0)


def test_pack_page_has_four_accessible_charts_and_their_numbers(
        db: Session, world: World, story: Data) -> None:
    html = _html(db, world, "exec", department_id=world.departments["IT"])
    for key, title in (("health-by-department", "Health by department"),
                       ("health-trend", "Health trend up to 2025-03"),
                       ("top-slips", "Top slips"), ("budget-variance", "Budget variance")):
        svg = _svg(html, key)
        assert 'role="img"' in svg and f'aria-label="{title}' in svg
        assert re.search(rf"<title>{re.escape(title)}", svg)
        block = html[html.index(f'<div class="chart-block" id="{key}">'):]
        assert block.index("</svg>") < block.index('<table class="numbers"')
    slips = _svg(html, "top-slips")
    assert ">P1 " in slips and ">45 d<" in slips and "P4" not in slips  # FIN's, not IT's
    trend = _svg(html, "health-trend")
    assert [m for m in re.findall(r">(\d{4}-\d{2})<", trend)] == [
        "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]


def test_unknown_health_is_its_own_band(db: Session, world: World, story: Data) -> None:
    html = _html(db, world, "exec", department_id=world.departments["IT"])
    svg = _svg(html, "health-by-department")
    assert [b.name for b in BANDS] == ["green", "amber", "red", "unknown"]
    assert re.search(r"<title>IT [^<:]*: 1 unknown</title>", svg)
    assert 'fill="#adb5bd"' in svg  # the grey of unknown, apart from green, amber and red
    march = pack.get_pack(db, _actor(db, world, "exec"), world.departments["IT"], None,
                          "2025-03", today=date(2025, 4, 2))
    it = next(r for r in march.departments if r.code == "IT")
    assert (it.counts.red, it.counts.amber, it.counts.green, it.counts.unknown) == (1, 1, 1, 1)
    # P6 was registered in December 2024: unknown from then on, not before.
    assert [p.counts.unknown for p in march.trend] == [0, 0, 1, 1, 1, 1]


def test_hostile_names_are_escaped_in_the_svg(db: Session, world: World, story: Data) -> None:
    html = _html(db, world, "exec", department_id=world.departments["IT"])
    assert "<script>" not in html and "<b>Ops</b>" not in html
    assert "&lt;script&gt;" in html  # in the narrative and the matrix, as text
    chart = svgcharts.bars("x", HOSTILE, [(HOSTILE, 3)], "#000")
    # the aria-label, the <title>, the heading, the row label and the tooltip
    assert "<script>" not in chart and chart.count("&lt;script&gt;") == 5
    assert 'aria-label="&lt;script&gt;alert(&#34;x&#34;)' in chart


def test_narrative_is_worst_first_trimmed_and_scoped(db: Session, world: World,
                                                     story: Data) -> None:
    everything = pack.get_pack(db, _actor(db, world, "exec"), None,
                               story.portfolios["PF-ENT"], "2025-03", today=date(2025, 4, 2))
    assert [(n.code, n.health) for n in everything.narrative] == [("P1", "red"), ("P4", "amber")]
    assert [(s.code, s.days) for s in everything.slips] == [("P1", 45), ("P4", 10)]
    p1 = everything.narrative[0]
    assert (p1.department, p1.reported_for) == ("IT", date(2025, 3, 17))
    assert len(p1.achievements) == pack.NARRATIVE_CHARS and p1.achievements.endswith("…")
    assert p1.decisions_needed == "Approve the extra vendor budget."
    it_only = pack.get_pack(db, _actor(db, world, "it_lead"), None,
                            story.portfolios["PF-ENT"], "2025-03", today=date(2025, 4, 2))
    assert [n.code for n in it_only.narrative] == ["P1"]  # FIN's P4 is not theirs to read
    assert [s.code for s in it_only.slips] == ["P1"]
    assert [d.code for d in it_only.departments] == ["IT"]
    html = render.to_html(it_only)
    assert "Approve the extra vendor budget." in html and "P4" not in html
    department = _html(db, world, "exec", department_id=world.departments["IT"])
    words = department[department.index('id="pack-narrative"'):]
    assert words.index("P1") < words.index("Racks installed.")  # red before amber
    assert "report of 2025-03-17" in words and "IT-INFRA" in words


def test_pdf_lays_out_the_charts_and_the_narrative(as_: Clients, db: Session, world: World,
                                                   story: Data) -> None:
    """WeasyPrint's own layout of the print page (what it writes to the PDF) holds the four
    SVG charts as drawn images and the narrative's words as text."""
    from weasyprint import HTML

    document = HTML(string=_html(db, world, "exec", department_id=world.departments["IT"]))
    boxes = [box for page in document.render().pages
             for box in page._page_box.descendants()]
    charts = [box.element.get("id") for box in boxes
              if type(getattr(box, "replacement", None)).__name__ == "SVGImage"]
    assert charts == ["chart-health-by-department", "chart-health-trend", "chart-top-slips",
                      "chart-budget-variance"]
    words = " ".join(getattr(box, "text", "") for box in boxes)
    assert "Approve the extra vendor budget." in words and "Racks installed." in words
    r = as_("exec").get(API, params={"department_id": world.departments["IT"],
                                     "period": "2025-03"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.text


def test_excel_pack_has_the_narrative_and_the_charts_data(as_: Clients, story: Data,
                                                          world: World) -> None:
    params = {"format": "xlsx", "department_id": world.departments["IT"], "period": "2025-03"}
    sheets = workbook(as_, department_id=params["department_id"], period="2025-03")
    assert list(sheets)[6:] == ["Narrative", "Health by department", "Health trend",
                                "Top slips", "Budget variance"]
    narrative = sheets["Narrative"]
    assert narrative[0][:5] == ["Project", "Name", "Department", "Health", "Reported for"]
    assert [r[0] for r in narrative[1:]] == ["P1", "P3"] and narrative[2][1] == HOSTILE
    health = {r[0]: r for r in sheets["Health by department"][1:]}
    assert health["IT"][3:8] == [1, 1, 1, 1, 4]  # green, amber, red, unknown, projects
    assert [r[0] for r in sheets["Health trend"][1:]][-1] == "2025-03"
    assert [(r[0], r[5]) for r in sheets["Top slips"][1:]] == [("P1", 45)]
    variance = {r[0]: r for r in sheets["Budget variance"][1:]}
    assert variance["IT"][4] == pytest.approx(variance["IT"][3] - variance["IT"][2])
    raw = as_("exec").get(API, params=params).content
    assert any(n.startswith("xl/charts/chart") for n in zipfile.ZipFile(io.BytesIO(raw)).namelist())
