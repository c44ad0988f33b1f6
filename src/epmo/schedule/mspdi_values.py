"""MS Project XML values: ISO 8601 durations, dates, lag formats, constraint and link codes.

Shared by the MSPDI reader and writer so both read and write a value the same way.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from epmo.schedule.formats import refuse
from epmo.schedule.parsed import Constraint, LinkType, ResourceKind

NS = "{http://schemas.microsoft.com/project}"
CONSTRAINTS: tuple[Constraint, ...] = ("ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT")
LINK_TYPES: tuple[LinkType, ...] = ("FF", "FS", "SF", "SS")  # PredecessorLink Type 0..3
RESOURCE_KINDS: tuple[ResourceKind, ...] = ("material", "work", "cost")  # Resource Type 0..2
# LagFormat / DurationFormat codes (the "?" estimated ones are 32 more): 3 m, 4 em, 5 h, 6 eh,
# 7 d, 8 ed, 9 w, 10 ew, 11 mo, 12 emo, 19 %, 20 e%.
ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20})
PERCENT_FORMATS = frozenset({19, 20})
TENTHS_PER_HOUR = 600.0
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


_PLAIN = re.compile(r"PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S")


def plain_duration_hours(text: str) -> float | None:
    """Hours in ``PT16H0M0S`` (how MS Project writes every duration), else None."""
    found = _PLAIN.fullmatch(text)
    if found is None:
        return None
    return int(found[1]) + int(found[2]) / 60 + float(found[3]) / 3600


def duration_hours(text: str, where: str) -> float:
    """Hours in an ISO 8601 duration such as ``PT16H0M0S`` (MSPDI writes working hours)."""
    found = _DURATION.match(text.strip())
    if not found or text.strip() in ("P", "-P", "PT"):
        raise refuse(f"{where}: '{text}' is not a duration like PT16H0M0S")
    years, months, days, hours, minutes, seconds = (float(part or 0) for part in found.groups()[1:])
    total = (years * 365 + months * 30 + days) * 24 + hours + minutes / 60 + seconds / 3600
    return -total if found.group(1) else total


def format_duration(hours: float) -> str:
    """An ISO 8601 duration as MS Project writes it: ``PT16H0M0S``."""
    seconds = round(abs(hours) * 3600)
    sign = "-" if hours < 0 else ""
    return f"{sign}PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def parse_datetime(text: str, where: str) -> datetime:
    """A naive datetime from ``2008-11-03T09:00:00``."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise refuse(f"{where}: '{text}' is not a date and time like 2024-03-01T08:00:00"
                     ) from None


def format_datetime(value: datetime) -> str:
    """``2008-11-03T09:00:00``."""
    return value.replace(microsecond=0).isoformat()


def parse_time(text: str, where: str) -> time:
    """A time of day from ``08:00:00`` (``24:00:00`` is midnight at the day's end)."""
    text = text.strip()
    if text.startswith("24:"):
        return time(0, 0)
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise refuse(f"{where}: '{text}' is not a time of day like 08:00:00") from None


def parse_int(text: str, where: str) -> int:
    """An integer field, refused in words when it is not one."""
    try:
        return int(text.strip())
    except ValueError:
        raise refuse(f"{where}: '{text}' is not a whole number") from None


def parse_float(text: str, where: str) -> float:
    """A number field, refused in words when it is not one."""
    try:
        return float(text.strip())
    except ValueError:
        raise refuse(f"{where}: '{text}' is not a number") from None


def lag_of(tenths: int, lag_format: int) -> tuple[float, float | None, bool]:
    """(hours, percent, elapsed) of a LinkLag: tenths of minutes, or a percentage (19/20)."""
    base = lag_format - 32 if lag_format > 32 else lag_format  # "estimated" variants
    elapsed = base in ELAPSED_FORMATS
    if base in PERCENT_FORMATS:
        return 0.0, float(tenths), elapsed  # MPXJ reads a percent lag's LinkLag as is
    return tenths / TENTHS_PER_HOUR, None, elapsed


def lag_fields(hours: float, percent: float | None, elapsed: bool) -> tuple[int, int]:
    """(LinkLag, LagFormat) for a lag: hours shown as days (7, or 8 elapsed), or a percent."""
    if percent is not None:
        return round(percent), 20 if elapsed else 19
    return round(hours * TENTHS_PER_HOUR), 8 if elapsed else 7
