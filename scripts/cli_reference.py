"""Print docs/cli.md: the --help of every epmo command, generated so it never drifts."""

from __future__ import annotations

from typing import Any

import typer.main
from typer.testing import CliRunner

from epmo.cli import app

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    subcommands = getattr(command, "commands", {})  # a group (typer bundles its own click)
    for name in sorted(subcommands):
        found += _walk(subcommands[name], [*path, name])
    return found


def render() -> str:
    """Return the Markdown reference for every command."""
    runner = CliRunner()
    parts = ["# CLI reference", "", "Generated from `--help` by `make docs`; do not edit.", ""]
    for path in _walk(typer.main.get_command(app), []):
        result = runner.invoke(app, [*path, "--help"], env=ENV, prog_name="epmo")
        lines = [line.rstrip() for line in result.output.strip("\n").splitlines()]
        parts += [f"## `{' '.join(['epmo', *path])}`", "", "```", *lines, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
