"""``epmo benefits rollup``: the roll-up on a terminal and as JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from epmo.cli import app
from epmo.money import money
from tests.benefits.conftest import create
from tests.conftest import Clients

runner = CliRunner()


def test_rollup_on_the_terminal_and_as_json(as_: Clients, project: dict[str, Any],
                                            db: Session) -> None:
    made = create(as_, "it_pm", project["id"])
    as_("it_pm").put(f"/api/v1/benefits/{made['id']}/actuals",
                     json={"period": "2027-01", "amount": "90"})
    create(as_, "it_pm", project["id"], unit="hours")
    result = runner.invoke(app, ["benefits", "rollup", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["unit"] == "money" and body["total"]["left_out"] == 1
    assert body["total"]["headline"]["realised_to_date"] == "90.00"
    assert body["total"]["headline"]["planned_to_date"] == "600.00"
    shown = runner.invoke(app, ["benefits", "rollup", "--by", "department"],
                          env={"COLUMNS": "160"})
    # amounts in the hub's currency and locale, as the pages show them
    assert shown.exit_code == 0 and money(Decimal("600")) in shown.output
    assert "IT" in shown.output
    assert runner.invoke(app, ["benefits", "rollup", "--by", "nothing"]).exit_code == 2
