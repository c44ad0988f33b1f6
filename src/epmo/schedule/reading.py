"""Read any schedule file: its format told by content, every project it holds."""

from __future__ import annotations

from epmo.schedule import formats, mspdi, xer
from epmo.schedule.parsed import ScheduleFile


def read_schedule(data: bytes) -> list[ScheduleFile]:
    """The projects in an MS Project XML file (one) or a Primavera XER export (one or more)."""
    if formats.detect(data) == "xer":
        return xer.read(data)
    return [mspdi.read(data)]
