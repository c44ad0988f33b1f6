"""Read models of the diagnostics domain: rounds, the caller's scores, and a round's results.

``results`` reads with a fixed number of queries: the round's scores, its stored evidence (or
the live figures while it is open), the completed rounds of the same scope and their scores,
department labels.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, spans_enterprise
from epmo.diagnostics import evidence, maturity, policy, repository
from epmo.diagnostics.instrument import (
    CAPABILITY_LABELS,
    PRACTICE_LABELS,
    Instrument,
    get_instrument,
    level_name,
)
from epmo.diagnostics.models import DiagnosticEvidence, DiagnosticRound, DiagnosticScore
from epmo.diagnostics.schemas import (
    CapabilityResult,
    DepartmentEvidence,
    EvidenceRead,
    HeatCell,
    InstrumentRead,
    ItemRead,
    ItemResult,
    PracticeResult,
    ResultsRead,
    RoundRead,
    TrendPoint,
)
from epmo.diagnostics.service import instrument_of
from epmo.surveys.views import SatisfactionSummary, satisfaction_summary

EPMO_OFFICE = "EPMO office"


def describe_instrument(instrument: Instrument) -> InstrumentRead:
    """An instrument as the API returns it."""
    return InstrumentRead(
        version=instrument.version, title=instrument.title, published=instrument.published,
        fingerprint=instrument.fingerprint,
        items=[ItemRead(key=i.key, practice=i.practice, capability=i.capability,
                        statement=i.statement, levels=list(i.levels)) for i in instrument.items])


def _department_name(labels: dict[int, tuple[str, str]], ident: int | None) -> str:
    if ident is None:
        return "Enterprise"
    code, name = labels.get(ident, (str(ident), str(ident)))
    return f"{code} · {name}"


def describe_rounds(session: Session, actor: Actor,
                    rounds: Sequence[DiagnosticRound]) -> list[RoundRead]:
    """Rounds as the API returns them (two queries: departments, score counts)."""
    labels = repository.department_labels(session)
    counts = repository.score_counts(session, [r.id for r in rounds])
    return [RoundRead(id=r.id, name=r.name, instrument_version=r.instrument_version,
                      department_id=r.department_id,
                      department=_department_name(labels, r.department_id), status=r.status,
                      note=r.note, created_at=r.created_at, completed_at=r.completed_at,
                      scores=counts.get(r.id, 0),
                      may_assess=r.status == "open" and policy.can_assess(actor, r),
                      version=r.version) for r in rounds]


def _scored(rows: Sequence[DiagnosticScore]) -> list[maturity.Scored]:
    return [maturity.Scored(s.item_key, s.assessor_id, s.assessor_department_id, s.score)
            for s in rows]


def _stored_read(e: DiagnosticEvidence) -> EvidenceRead:
    value = None if e.value is None else float(e.value)
    return EvidenceRead(key=e.key, capability=e.capability, label=e.label, value=value,
                        shown=evidence.shown(value, e.unit), unit=e.unit, basis=e.basis,
                        detail=e.detail, period_start=e.period_start, period_end=e.period_end,
                        method=e.method)


def _live_read(e: evidence.Evidence) -> EvidenceRead:
    return EvidenceRead(key=e.key, capability=e.capability, label=e.label, value=e.value,
                        shown=e.shown, unit=e.unit, basis=e.basis, detail=e.detail,
                        period_start=e.period_start, period_end=e.period_end, method=e.method)


def _evidence(session: Session, found: DiagnosticRound, today: date,
              labels: dict[int, tuple[str, str]]
              ) -> tuple[list[EvidenceRead], list[DepartmentEvidence]]:
    """The round's figures and, for an enterprise round, each top-level department's: stored
    once completed, live while open."""
    grouped: dict[int | None, list[EvidenceRead]] = {}
    if found.status == "completed":
        for row in repository.evidence_of(session, found.id):
            grouped.setdefault(row.department_id, []).append(_stored_read(row))
    else:
        grouped[None] = [_live_read(e) for e in
                         evidence.measure(session, found.department_id, today)]
        if found.department_id is None:
            for department, figures in evidence.by_department(session, today).items():
                grouped[department] = [_live_read(e) for e in figures]
    own = grouped.pop(None, [])
    departments = [DepartmentEvidence(department_id=d, department=_department_name(labels, d),
                                      figures=figures)
                   for d, figures in grouped.items() if d is not None]
    departments.sort(key=lambda d: d.department)
    return own, departments


def _capabilities(instrument: Instrument, scores: Sequence[maturity.Scored],
                  figures: Sequence[EvidenceRead]) -> list[CapabilityResult]:
    informs: dict[str, list[str]] = {}
    for e in figures:
        informs.setdefault(e.capability, []).append(f"{e.label}: {e.shown}")
    return [CapabilityResult(practice=f.practice, capability=f.capability,
                             label=CAPABILITY_LABELS[f.capability], mean=f.mean,
                             level=level_name(f.mean), spread=f.spread, assessors=f.assessors,
                             evidence=informs.get(f.capability, []))
            for f in maturity.by_capability(instrument, scores)]


def _items(instrument: Instrument, scores: Sequence[maturity.Scored]) -> list[ItemResult]:
    return [ItemResult(key=f.item.key, capability=f.item.capability,
                       statement=f.item.statement, assessors=len(f.scores), mean=f.mean,
                       low=min(f.scores) if f.scores else None,
                       high=max(f.scores) if f.scores else None,
                       spread=maturity.spread([float(v) for v in f.scores]))
            for f in maturity.by_item(instrument, scores)]


def _heat(instrument: Instrument, scores: Sequence[maturity.Scored],
          labels: dict[int, tuple[str, str]]) -> tuple[list[HeatCell], list[str]]:
    def label(group: Hashable) -> str:
        if isinstance(group, int):
            return labels.get(group, (str(group), ""))[0]
        return EPMO_OFFICE
    grid = maturity.heatmap(instrument, scores, label)
    columns = sorted(grid, key=lambda g: (g == EPMO_OFFICE, g))
    cells = [HeatCell(capability=cap, department=g, mean=grid[g][cap].mean,
                      assessors=grid[g][cap].assessors)
             for _p, cap in instrument.capabilities() for g in columns]
    return cells, columns


def _trend(session: Session, found: DiagnosticRound) -> tuple[list[TrendPoint], str]:
    """Completed rounds of the same scope and version, oldest first, and what was left out."""
    rounds = list(repository.completed_rounds(session, found.department_id))
    if found.status == "open":
        rounds.append(found)
    same = [r for r in rounds if r.instrument_version == found.instrument_version]
    other = [r for r in rounds if r.instrument_version != found.instrument_version]
    rows = repository.scores_of(session, [r.id for r in same])
    points = []
    for r in same:
        instrument = get_instrument(r.instrument_version)
        mine = _scored([s for s in rows if s.round_id == r.id])
        points.append(TrendPoint(round_id=r.id, name=r.name, completed_at=r.completed_at,
                                 practices=maturity.by_practice(instrument, mine)
                                 if instrument else {}))
    note = ""
    if other:
        names = ", ".join(f"{r.name} (version {r.instrument_version})" for r in other)
        note = (f"Not in the trend, because they asked another instrument version and their "
                f"results are not comparable: {names}.")
    return points, note


def results(session: Session, actor: Actor, found: DiagnosticRound,
            today: date) -> ResultsRead:
    """A round's results: by practice, capability, item and department; evidence; trend."""
    instrument = instrument_of(found)
    scores = _scored(repository.scores_of(session, [found.id]))
    labels = repository.department_labels(session)
    figures, by_department = _evidence(session, found, today, labels)
    capabilities = _capabilities(instrument, scores, figures)
    cells, columns = _heat(instrument, scores, labels)
    trend, note = _trend(session, found)
    practices = [PracticeResult(practice=p, label=PRACTICE_LABELS[p], mean=m, level=level_name(m))
                 for p, m in maturity.by_practice(instrument, scores).items()]
    weakest = sorted(capabilities, key=lambda c: (c.mean is None, c.mean or 0.0, c.label))
    return ResultsRead(round=describe_rounds(session, actor, [found])[0], practices=practices,
                       capabilities=capabilities, weakest=weakest,
                       items=_items(instrument, scores), heatmap=cells, departments=columns,
                       evidence=figures, evidence_by_department=by_department,
                       evidence_live=found.status == "open", trend=trend,
                       trend_note=note)


def notes(session: Session, actor: Actor, found: DiagnosticRound) -> list[tuple[str, str, str]]:
    """(item key, assessor's name, note) of the round's non-empty notes, for those who may
    read them (else none)."""
    if not policy.can_see_notes(actor, found):
        return []
    rows = [s for s in repository.scores_of(session, [found.id]) if s.note]
    names = repository.user_names(session, {s.assessor_id for s in rows})
    return [(s.item_key, names.get(s.assessor_id, "former user"), s.note) for s in rows]


def compare_departments(session: Session, actor: Actor, version: str
                        ) -> tuple[list[str], list[HeatCell]]:
    """Capability x department over the latest completed round of each department the actor
    may read, of one instrument version (three queries)."""
    instrument = get_instrument(version)
    if instrument is None:
        return [], []
    latest: dict[int, DiagnosticRound] = {}
    for r in repository.department_rounds(session, version, policy.round_scope(actor)):
        if r.department_id is not None:
            latest[r.department_id] = r  # oldest first: the last one seen is the latest
    labels = repository.department_labels(session)
    rows = repository.scores_of(session, [r.id for r in latest.values()])
    columns, cells = [], []
    for department, r in sorted(latest.items(), key=lambda d: labels.get(d[0], ("", ""))[0]):
        code = labels.get(department, (str(department), ""))[0]
        columns.append(code)
        figures = maturity.by_capability(instrument, _scored(
            [s for s in rows if s.round_id == r.id]))
        cells += [HeatCell(capability=f.capability, department=code, mean=f.mean,
                           assessors=f.assessors) for f in figures]
    return columns, cells


def satisfaction_of(session: Session, actor: Actor, found: DiagnosticRound,
                    today: date) -> SatisfactionSummary | None:
    """The stakeholders' satisfaction beside a round: the latest survey round closed by the
    day the round completed (today while it is open). Shown to those who read survey results
    across the enterprise (the EPMO and executives); department rows only from five answers
    (``surveys.grouping``); None otherwise or when no survey round has closed."""
    if not spans_enterprise(actor):
        return None
    day = found.completed_at.date() if found.completed_at is not None else today
    return satisfaction_summary(session, None, day)
