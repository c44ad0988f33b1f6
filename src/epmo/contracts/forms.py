"""Turn the contracts pages' forms into schema input, and stored rows into form state.

Form field names follow the error paths (``rules.1.min_budget``, ``gates.0.stage``), so an
error names the very input it is about. Form state has the shape of the schema input, so
the same template shows stored values and values just typed.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from epmo.contracts.models import DepartmentMethod, ReportingContract, TierRule
from epmo.contracts.validation import RAG_MEASURES
from epmo.editing import as_int, form_text
from epmo.errors import FieldError, Invalid
from epmo.portfolio.models import STAGES

GATE_ROWS_SPARE = 2
STAGE_ROWS_SPARE = 3
RULE_FIELDS = ("name", "min_budget", "min_duration_days", "min_headcount", "min_risk")
INT_FIELDS = frozenset({"tier", "version", "min_duration_days", "min_headcount", "min_risk"})


def _indices(form: FormData, prefix: str) -> list[int]:
    found = {int(k.split(".")[1]) for k in form if k.startswith(prefix + ".")
             and k.split(".")[1].isdigit()}
    return sorted(found)


# --- tier rules ---------------------------------------------------------------------------


def rules_input(form: FormData) -> dict[str, Any]:
    """The tier rules form (rows ``rules.N.field``) as TierRulesUpdate input."""
    rules = []
    for index in _indices(form, "rules"):
        row = {field: form_text(form, f"rules.{index}.{field}")
               for field in ("tier", "version", *RULE_FIELDS)}
        rules.append({k: as_int(v) if k in INT_FIELDS else v for k, v in row.items()})
    return {"rules": rules}


def rules_state(rules: list[TierRule]) -> dict[str, Any]:
    """Stored rules as form state."""
    return {"rules": [{field: str(getattr(rule, field))
                       for field in ("tier", "version", *RULE_FIELDS)} for rule in rules]}


# --- gates --------------------------------------------------------------------------------


def gates_input(form: FormData, prefix: str) -> list[dict[str, Any]]:
    """Gate rows ``prefix.N.*``; rows left without code and name are dropped."""
    gates = []
    for index in _indices(form, prefix):
        key = f"{prefix}.{index}"
        gate = {"code": form_text(form, f"{key}.code"), "name": form_text(form, f"{key}.name"),
                "stage": form_text(form, f"{key}.stage"),
                "criteria": [line.strip() for line in
                             form_text(form, f"{key}.criteria").splitlines() if line.strip()],
                "approver_roles": [str(v) for v in form.getlist(f"{key}.approver_roles")]}
        if gate["code"] or gate["name"]:
            gates.append(gate)
    return gates


def with_spare_gates(gates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gate rows to show: the gates plus a few empty rows to add more."""
    blank = {"code": "", "name": "", "stage": "", "criteria": [], "approver_roles": []}
    return [*gates, *(dict(blank) for _ in range(GATE_ROWS_SPARE))]


# --- contracts ----------------------------------------------------------------------------


def _rag_input(form: FormData) -> dict[str, dict[str, str]]:
    bands = {}
    for measure in RAG_MEASURES:
        amber = form_text(form, f"rag_thresholds.{measure}.amber")
        red = form_text(form, f"rag_thresholds.{measure}.red")
        if amber or red:
            bands[measure] = {"amber": amber, "red": red}
    return bands


def contract_input(form: FormData) -> dict[str, Any]:
    """The contract form as ContractUpdate input."""
    version = form_text(form, "version")
    artefacts = {stage: [str(v) for v in form.getlist(f"artefacts.{stage}")] for stage in STAGES}
    return {
        "version": as_int(version) if version else None,
        "required_fields": [str(v) for v in form.getlist("required_fields")],
        "cadence": form_text(form, "cadence"),
        "dimensions": [str(v) for v in form.getlist("dimensions")],
        "artefacts": {stage: kinds for stage, kinds in artefacts.items() if kinds},
        "gates": gates_input(form, "gates"),
        "records": [str(v) for v in form.getlist("records")],
        "rag_thresholds": _rag_input(form),
    }


def contract_state(contract: ReportingContract) -> dict[str, Any]:
    """A stored contract as form state."""
    return {key: getattr(contract, key) for key in (
        "version", "required_fields", "cadence", "dimensions", "artefacts", "gates", "records",
        "rag_thresholds")}


# --- department methods -------------------------------------------------------------------


def _stage_rows(form: FormData) -> list[tuple[str, str]]:
    rows = [(form_text(form, f"stage_names.{i}.name"), form_text(form, f"stage_names.{i}.stage"))
            for i in _indices(form, "stage_names")]
    return [(name, stage) for name, stage in rows if name or stage]


def refuse_repeated_stage_names(form: FormData) -> None:
    """A stage name may appear on one row only (the input is a mapping from names)."""
    names = [name for name, _ in _stage_rows(form)]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise Invalid("Each stage name may appear once",
                      [FieldError("stage_names", f"{name} is listed twice") for name in twice])


def method_input(form: FormData) -> dict[str, Any]:
    """The method form as MethodUpdate input (a repeated stage name keeps its last row)."""
    rows = _stage_rows(form)
    version = form_text(form, "version")
    return {
        "version": as_int(version) if version else None,
        "name": form_text(form, "name"),
        "stage_names": dict(rows),
        "extra_fields": [str(v) for v in form.getlist("extra_fields")],
        "cadence": form_text(form, "cadence") or None,
        "extra_gates": gates_input(form, "extra_gates"),
    }


def method_state(method: DepartmentMethod | None) -> dict[str, Any]:
    """A stored method (or a blank one) as form state."""
    if method is None:
        return {"version": "", "name": "", "stage_names": {}, "extra_fields": [],
                "cadence": None, "extra_gates": []}
    return {key: getattr(method, key) for key in (
        "version", "name", "stage_names", "extra_fields", "cadence", "extra_gates")}


def stage_rows(state: dict[str, Any]) -> list[tuple[str, str]]:
    """Stage-name rows to show: the method's plus a few empty ones."""
    return [*state["stage_names"].items(), *(("", "") for _ in range(STAGE_ROWS_SPARE))]
