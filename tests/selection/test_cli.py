"""``epmo scenario solve NAME``: the result table, JSON, and the exit code when infeasible."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from epmo.cli import app
from tests.selection.conftest import Env

runner = CliRunner()


def test_solve_prints_value_usage_and_reasons(env: Env) -> None:
    env.knapsack()
    result = runner.invoke(app, ["scenario", "solve", "Plan A", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "Plan A: optimal, value 150.00 (2 of 4 selected" in result.output
    assert "budget 2027" in result.output and "would exceed the 2027" in result.output
    as_json = runner.invoke(app, ["scenario", "solve", "Plan A", "--json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.output)
    assert body["result"]["value"] == 150 and body["status"] == "solved"


def test_infeasible_and_unknown_exit_non_zero(env: Env) -> None:
    heavy = env.request("HEAVY", {"2027": 150}, benefit=1, mandatory=True)
    env.add(env.scenario("Tight"), [heavy])
    result = runner.invoke(app, ["scenario", "solve", "Tight"])
    assert result.exit_code == 2
    assert "mandatory items alone exceed the 2027 budget by 50 EUR" in result.output
    as_json = runner.invoke(app, ["scenario", "solve", "Tight", "--json"])
    assert as_json.exit_code == 2 and json.loads(as_json.output)["result_status"] == "infeasible"
    missing = runner.invoke(app, ["scenario", "solve", "Nope"])
    assert missing.exit_code == 2 and "No scenario named 'Nope'" in missing.output


def test_solve_names_running_projects_without_role_demand(env: Env) -> None:
    env.project("RUN-9", stage="executing")
    env.project("SHUT-9", stage="closed")
    env.knapsack()
    result = runner.invoke(app, ["scenario", "solve", "Plan A"])
    assert result.exit_code == 0, result.output
    assert ("note: 1 running project has no role demand: RUN-9; the capacity it uses is not "
            "taken off") in " ".join(result.output.split())
