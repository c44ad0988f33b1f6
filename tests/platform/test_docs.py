"""Documentation that the code keeps true: settings and the CLI reference."""

from __future__ import annotations

import re
from pathlib import Path

from epmo.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    documented = set(re.findall(r"`EPMO_([A-Z_]+)`", text))
    expected = {name.upper() for name in Settings.model_fields}
    assert expected - documented == set(), "undocumented settings"
    assert documented - expected == set(), "documented settings that do not exist"


def test_cli_reference_is_current() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from cli_reference import render

    text = render()
    for command in ("init", "demo", "serve", "user create", "token create", "db upgrade",
                    "audit verify", "import"):
        assert f"## `epmo {command}`" in text, f"`epmo {command}` missing from the reference"
    assert (ROOT / "docs" / "cli.md").read_text() == text, "run `make docs`"
