"""The installed ``epmo`` command's exit codes, run as a real process on a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def _epmo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EPMO_DATABASE_URL": f"sqlite:///{tmp_path / 'epmo.db'}"}
    return subprocess.run([sys.executable, "-m", "epmo", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False, cwd=tmp_path)


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    """A fresh database with an administrator."""
    done = _epmo(tmp_path, "init", "--admin-email", "admin@x.org",
                 "--admin-password", "long-password-1")
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_audit_verify_exits_1_on_a_broken_chain(initialised: Path) -> None:
    assert _epmo(initialised, "audit", "verify").returncode == 0
    with sqlite3.connect(initialised / "epmo.db") as conn:
        conn.execute("UPDATE audit_entry SET actor = 'forger' WHERE id = "
                     "(SELECT MIN(id) FROM audit_entry)")
    broken = _epmo(initialised, "audit", "verify")
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout + broken.stderr


def test_rejected_import_exits_2_and_changes_nothing(initialised: Path) -> None:
    bad = initialised / "people.csv"
    bad.write_text("Foo,Bar\n1,2\n")
    done = _epmo(initialised, "import", "people", str(bad), "--as", "admin@x.org")
    assert done.returncode == 2, done.stdout + done.stderr
    with sqlite3.connect(initialised / "epmo.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM person").fetchone() == (0,)


def test_duplicate_department_is_one_clear_line(initialised: Path) -> None:
    made = _epmo(initialised, "user", "create", "--email", "dup@x.org", "--name", "Dup",
                 "--role", "member", "--department", "NOPE", "--password", "long-password-5")
    assert made.returncode == 2
    assert "Traceback" not in made.stderr and "no department NOPE" in made.stderr
