"""The report's print page (what the PDF is made from) and the published instruments."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM
from epmo.diagnostics import report, service, views
from epmo.diagnostics.instrument import INSTRUMENTS, get_instrument, level_name
from epmo.diagnostics.items import ITEMS
from epmo.diagnostics.models import DiagnosticRound
from epmo.diagnostics.schemas import RoundCreate
from epmo.errors import Conflict
from epmo.surveys.views import DepartmentMean, QuestionMean, SatisfactionSummary
from tests.conftest import Clients
from tests.diagnostics.test_api import HOSTILE, open_round, score

# The fingerprint of every published version. A used version never changes: a new wording
# is a new version (add it to instrument.INSTRUMENTS and here), never an edit.
PUBLISHED = {
    "2025.1": "9072bc66658cd13afc39d307b95f28610e94ecbe3b3f6b3c34b88f460c40dd4f",
    "2026.1": "8ae66f657a98eae205b32f2862ddacb83f173d4f76e7c8494979d21493621ba4",
}


@pytest.mark.parametrize("version", sorted(PUBLISHED))
def test_published_versions_never_change(version: str) -> None:
    found = get_instrument(version)
    assert found is not None and found.fingerprint == PUBLISHED[version]


def test_every_version_is_pinned_and_items_are_well_formed() -> None:
    assert set(INSTRUMENTS) == set(PUBLISHED)
    assert 24 <= len(ITEMS) <= 36
    assert len({key for key, *_ in ITEMS}) == len(ITEMS)
    for key, _practice, _capability, statement, levels in ITEMS:
        assert len(levels) == 6 and all(text.strip() for text in levels), key
        assert len(set(levels)) == 6 and statement.endswith("."), key
    assert [level_name(v) for v in (None, 0, 2.99, 3.0, 5)] == [
        "no data", "Absent", "Repeatable", "Defined", "Optimising"]


def test_a_round_whose_instrument_changed_is_refused(db: Session) -> None:
    made = service.open_round(db, SYSTEM, RoundCreate(name="R"))
    made.instrument_fingerprint = "0" * 64
    with pytest.raises(Conflict, match="must never change"):
        service.instrument_of(made)


def test_print_page_escapes_and_has_its_satisfaction_slot(as_: Clients, db: Session) -> None:
    made = open_round(as_, name=HOSTILE)
    assert score(as_, "it_lead", made["id"], {"PG-INT-1": 2}, note=HOSTILE).status_code == 200
    found = db.get(DiagnosticRound, made["id"])
    assert found is not None
    results = views.results(db, SYSTEM, found, date.today())
    html = report.to_html(results, views.notes(db, SYSTEM, found), date.today())
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<svg" in html and 'id="heatmap"' in html and 'id="evidence"' in html
    assert 'id="satisfaction"' not in html
    summary = SatisfactionSummary(
        7, "Pulse <i>", "epmo-services", 1, date(2026, 1, 5), date(2026, 1, 20),
        date(2026, 1, 20), 20, 12, True, 3.9, 4.4,
        (QuestionMean("reporting", "Reports <b>", 2.1, 4.5),),
        (DepartmentMean(3, "IT", 12, 3.9, 4.4),))
    with_it = report.to_html(results, [], date.today(), satisfaction=summary)
    assert 'id="satisfaction"' in with_it and "3.9" in with_it and "Reports &lt;b&gt;" in with_it
    assert "Pulse &lt;i&gt;" in with_it and "12 of 20 invited answered (60.0 %)" in with_it
    pdf = report.to_pdf(with_it)
    assert pdf[:5] == b"%PDF-"


def test_radar_marks_no_data() -> None:
    instrument = INSTRUMENTS["2026.1"]
    caps = views._capabilities(instrument, [], [])
    svg = str(report.radar_svg(caps))
    assert svg.count("n/d") == len(instrument.capabilities()) == 16
    assert report.heat_colour(None) == "#e9ecef" and report.heat_colour(5.0).startswith("hsl(120")
