"""The rules a contract or a department method must follow; each error names its field path.

A department method may only add to the enterprise minimum: its stage names map onto the
enterprise stages, its fields and gates come on top of the contract's, and its cadence may
only be as frequent as, or more frequent than, every tier's contract cadence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from epmo.auth.models import ROLES
from epmo.contracts.models import ARTEFACT_KINDS, CADENCES, DIMENSIONS, RAID_KINDS
from epmo.contracts.schemas import ContractUpdate, Gate, MethodUpdate
from epmo.errors import FieldError
from epmo.portfolio.models import KEPT_BY_DATABASE, STAGES, Project

COMPUTED = frozenset({"id", "version", "created_at", "updated_at", "tier", "derived_health",
                      *KEPT_BY_DATABASE})
PROJECT_FIELDS = tuple(c.key for c in Project.__table__.columns if c.key not in COMPUTED)
MAIN_STAGES = ("proposed", "approved", "planning", "executing", "closing", "closed")
GATE_STAGES = ("approved", "planning", "executing", "closing", "closed")
RAG_MEASURES = ("schedule", "cost")


def _one_of(value: str, allowed: Sequence[str], path: str, what: str) -> list[FieldError]:
    if value in allowed:
        return []
    return [FieldError(path, f"{value!r} is not {what}; one of {', '.join(allowed)}")]


def names_errors(values: Sequence[str], allowed: Sequence[str], path: str,
                 what: str) -> list[FieldError]:
    """Each value must be one of ``allowed`` and listed once."""
    errors, seen = [], set()
    for index, value in enumerate(values):
        if value in seen:
            errors.append(FieldError(f"{path}.{index}", f"{value} is listed twice"))
        seen.add(value)
        errors += _one_of(value, allowed, f"{path}.{index}", what)
    return errors


def gate_errors(gates: Sequence[Gate], path: str) -> list[FieldError]:
    """Gate codes unique, stages a gate can admit into, approver roles that exist."""
    errors, seen = [], set()
    for index, gate in enumerate(gates):
        if gate.code in seen:
            errors.append(FieldError(f"{path}.{index}.code", f"gate {gate.code} is listed twice"))
        seen.add(gate.code)
        errors += _one_of(gate.stage, GATE_STAGES, f"{path}.{index}.stage",
                          "a stage a gate can admit into")
        errors += names_errors(gate.approver_roles, ROLES, f"{path}.{index}.approver_roles",
                               "a role")
    return errors


def _artefact_errors(artefacts: Mapping[str, Sequence[str]]) -> list[FieldError]:
    errors = []
    for stage, kinds in artefacts.items():
        errors += _one_of(stage, STAGES, f"artefacts.{stage}", "an enterprise stage")
        errors += names_errors(kinds, ARTEFACT_KINDS, f"artefacts.{stage}", "an artefact kind")
    return errors


def _rag_errors(thresholds: ContractUpdate) -> list[FieldError]:
    errors = []
    for measure, band in thresholds.rag_thresholds.items():
        errors += _one_of(measure, RAG_MEASURES, f"rag_thresholds.{measure}", "a RAG measure")
        if band.amber >= band.red:
            errors.append(FieldError(f"rag_thresholds.{measure}.red",
                                     f"must be above amber ({band.amber:g})"))
    return errors


def contract_errors(data: ContractUpdate) -> list[FieldError]:
    """Everything wrong with a contract on its own."""
    return (names_errors(data.required_fields, PROJECT_FIELDS, "required_fields",
                         "a project field")
            + _one_of(data.cadence, CADENCES, "cadence", "a cadence")
            + names_errors(data.dimensions, DIMENSIONS, "dimensions", "a status dimension")
            + _artefact_errors(data.artefacts)
            + gate_errors(data.gates, "gates")
            + names_errors(data.records, RAID_KINDS, "records", "a register")
            + _rag_errors(data))


def _stage_name_errors(stage_names: Mapping[str, str]) -> list[FieldError]:
    errors = []
    for name, stage in stage_names.items():
        errors += _one_of(stage, STAGES, f"stage_names.{name}", "an enterprise stage")
    named = set(stage_names.values())
    errors += [FieldError("stage_names", f"no name maps to the enterprise stage {stage}; every "
                                         "main stage needs at least one")
               for stage in MAIN_STAGES if stage not in named]
    return errors


def cadence_floor(cadences: Mapping[int, str]) -> tuple[str, int] | None:
    """The most frequent contract cadence and the (most demanding) tier that sets it."""
    found = [(CADENCES.index(c), tier) for tier, c in cadences.items() if c in CADENCES]
    if not found:
        return None
    index, tier = min(found)
    return CADENCES[index], tier


def below(cadence: str, minimum: str) -> bool:
    """True when ``cadence`` reports less often than ``minimum``."""
    return CADENCES.index(cadence) > CADENCES.index(minimum)


def _cadence_errors(cadence: str | None, cadences: Mapping[int, str]) -> list[FieldError]:
    if cadence is None:
        return []
    if cadence not in CADENCES:
        return _one_of(cadence, CADENCES, "cadence", "a cadence")
    floor = cadence_floor(cadences)
    if floor is None or not below(cadence, floor[0]):
        return []
    return [FieldError("cadence", f"cadence {cadence} is below the enterprise minimum "
                                  f"{floor[0]} of tier {floor[1]}")]


def method_errors(data: MethodUpdate, cadences: Mapping[int, str],
                  taken: Mapping[str, str]) -> list[FieldError]:
    """Everything that would put a department method below the enterprise minimum.

    ``cadences``: each tier's contract cadence; ``taken``: gate code -> the contract using it.
    """
    clashes = [FieldError(f"extra_gates.{index}.code", f"{gate.code} is already {taken[gate.code]}")
               for index, gate in enumerate(data.extra_gates) if gate.code in taken]
    return (_stage_name_errors(data.stage_names)
            + names_errors(data.extra_fields, PROJECT_FIELDS, "extra_fields", "a project field")
            + _cadence_errors(data.cadence, cadences)
            + gate_errors(data.extra_gates, "extra_gates") + clashes)


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """What a contract change must not break in a stored department method."""

    department: str
    name: str
    cadence: str | None
    gate_codes: frozenset[str]


def methods_below(tier: int, data: ContractUpdate,
                  methods: Iterable[MethodFacts]) -> list[FieldError]:
    """Department methods that a contract change would leave below the minimum (or clash)."""
    errors = []
    for method in methods:
        if method.cadence and data.cadence in CADENCES and below(method.cadence, data.cadence):
            errors.append(FieldError("cadence", (
                f"{data.cadence} for tier {tier} would put department {method.department}'s "
                f"method {method.name!r} ({method.cadence}) below the enterprise minimum; "
                "change that method first")))
        errors += [FieldError(f"gates.{index}.code", f"{gate.code} is already an extra gate "
                                                      f"of department {method.department}'s method")
                   for index, gate in enumerate(data.gates) if gate.code in method.gate_codes]
    return errors
