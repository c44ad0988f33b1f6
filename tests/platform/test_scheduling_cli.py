"""``epmo scheduling solve``: one JSON line per benchmark file, one clear line on a bad file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from epmo.cli import app, main
from tests.conftest import SHARED_DATA

runner = CliRunner()
J30 = SHARED_DATA / "psplib" / "j30" / "j301_1.sm"
MP = SHARED_DATA / "mpsplib" / "mp_j30_a2_nr2_set" / "mp_j30_a2_nr2.xml"


@pytest.mark.skipif(not J30.is_file() or not MP.is_file(), reason="PSPLIB/MPSPLIB data absent")
def test_solve_prints_one_json_line_per_file() -> None:
    result = runner.invoke(app, ["scheduling", "solve", str(J30), str(MP), "--time-limit", "20"])
    assert result.exit_code == 0, result.output
    single, multi = (json.loads(line) for line in result.output.splitlines())
    assert single["file"] == str(J30)
    assert (single["makespan"], single["lower_bound"], single["status"]) == (43, 43, "optimal")
    assert single["seconds"] >= 0 and "total_makespan" not in single
    assert (multi["total_makespan"], multi["status"], multi["releases"]) == (58, "optimal", [0, 5])
    assert max(multi["project_ends"]) == 58


def test_an_unreadable_file_exits_2_with_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sm"
    bad.write_text("not a PSPLIB file\n")
    monkeypatch.setattr(sys, "argv", ["epmo", "scheduling", "solve", str(bad)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    shown = " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert shown == f"error: Cannot read {bad} (file: no 'horizon' line)"
