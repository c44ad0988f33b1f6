"""Field types and model config shared by every domain's ``schemas.py``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from epmo.errors import FieldError, in_words, label_of

T = TypeVar("T")

MAX_ID = 2_147_483_647  # ids are 32-bit on every database; larger ones answer 422, not 500
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Strict input: no unknown fields, no "5" for 5; dates and money are parsed from JSON strings.
STRICT = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)
READ = ConfigDict(from_attributes=True)

CODE_PATTERN = r"^[A-Za-z0-9_.\-]+$"
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=CODE_PATTERN)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=20_000)]
Day = Annotated[date, Field(strict=False)]
Money = Annotated[Decimal, Field(strict=False, ge=0, max_digits=18, decimal_places=2)]
Weight = Annotated[Decimal, Field(strict=False, ge=0, le=100, max_digits=6, decimal_places=2)]
Hours = Annotated[Decimal, Field(strict=False, ge=0, le=168, max_digits=6, decimal_places=2)]
Email = Annotated[EmailStr, Field(strict=False)]


class StrictModel(BaseModel):
    """Base of every input schema."""

    model_config = STRICT

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """PostgreSQL cannot store a NUL character in text: refuse it here, naming the field."""
        if _has_nul(value):
            raise ValueError("must not contain the NUL character (\\x00)")
        return value


def _has_nul(value: Any) -> bool:
    """Whether a string, or a string inside a list, set or mapping, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    return False


class ReadModel(BaseModel):
    """Base of every output schema."""

    model_config = READ

    @field_validator("*", mode="after")
    @classmethod
    def _in_utc(cls, value: Any) -> Any:
        """Times are stored in UTC; SQLite hands them back naive, so mark them as UTC."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


M = TypeVar("M", bound=BaseModel)


def trusted(model: type[M], values: dict[str, Any]) -> M:
    """A model from plain values the caller built right (every field, the right types), with
    neither validation nor ``model_construct``'s loop over the fields in Python (a fifth of
    its cost: the heatmap builds twenty thousand cells). Fields left out are not set."""
    found = model.__new__(model)
    object.__setattr__(found, "__dict__", values)
    object.__setattr__(found, "__pydantic_fields_set__", set(values))
    object.__setattr__(found, "__pydantic_extra__", None)
    object.__setattr__(found, "__pydantic_private__", None)
    return found


def trusted_maker(model: type[M]) -> Callable[[dict[str, Any]], M]:
    """``trusted`` for many instances of one model, each given every field: the lookups made
    once and one set of the field names shared by all (every field is set on every one, so
    what pydantic adds to it on an assignment is already there): twice as fast."""
    new, put, names = model.__new__, object.__setattr__, set(model.model_fields)

    def make(values: dict[str, Any]) -> M:
        found = new(model)
        put(found, "__dict__", values)
        put(found, "__pydantic_fields_set__", names)
        put(found, "__pydantic_extra__", None)
        put(found, "__pydantic_private__", None)
        return found

    return make


class PageOf(BaseModel, Generic[T]):
    """One page of a list: the items, the total number of matches, and the window."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Deleted(StrictModel):
    """Body of a delete: the version you read."""

    version: int


# --- validation errors in words ---------------------------------------------------------

# What each pydantic error type means, said after the field's label; {name} takes the error's
# context (its limits). A type not listed keeps pydantic's text with "Input should" reworded.
_PHRASES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this form",
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "decimal_type": "must be a number", "decimal_parsing": "must be a number",
    "decimal_max_digits": "has too many digits (at most {max_digits})",
    "decimal_max_places": "may have at most {decimal_places} decimals",
    "decimal_whole_digits": "is too large",
    "finite_number": "must be a number",
    "string_type": "must be text",
    "string_too_long": "must be at most {max_length} characters",
    "too_short": "needs at least {min_length} entries",
    "too_long": "may have at most {max_length} entries",
    "bool_type": "must be yes or no", "bool_parsing": "must be yes or no",
    "date_type": "must be a date (YYYY-MM-DD)", "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date without a time",
    "datetime_type": "must be a date and time", "datetime_parsing": "must be a date and time",
    "datetime_from_date_parsing": "must be a date and time",
    "list_type": "must be a list", "dict_type": "has the wrong shape",
    "model_type": "has the wrong shape", "model_attributes_type": "has the wrong shape",
    "url_type": "must be a web address", "url_parsing": "must be a web address",
    "url_scheme": "must be a web address starting with {expected_schemes}",
    "uuid_parsing": "must be an identifier",
    "json_invalid": "is not valid JSON",
}
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form"})


def _phrase(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "string_too_short":
        return "is required" if ctx.get("min_length") == 1 else \
            f"must be at least {ctx.get('min_length')} characters"
    if kind == "string_pattern_mismatch":  # never show the regular expression
        return _pattern_words(str(ctx.get("pattern", "")))
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected', 'the listed choices')}"
    if kind in ("value_error", "assertion_error"):
        return _reason(str(error.get("msg", "")))
    if kind in _PHRASES:
        try:
            return _PHRASES[kind].format(**ctx)
        except (KeyError, IndexError):
            return _PHRASES[kind].split(" {")[0]
    return _reason(str(error.get("msg", "is not valid")))


# The patterns our schemas use, said in words (a regular expression is never shown).
_PATTERNS = {
    CODE_PATTERN: "may only hold letters, digits, dots, dashes and underscores",
    r"^\d{4}$": "must be a year such as 2027",
    r"^\d{4}-Q[1-4]$": "must be a quarter such as 2027-Q1",
    r"^https?://\S+$": "must be a web address starting with http:// or https://",
    r"^([01]\d|2[0-3]):[0-5]\d$": "must be a time of day such as 06:00",
    r"^[a-z][a-z0-9_]*$": "may only hold lower-case letters, digits and underscores, "
                          "starting with a letter",
    r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$": "must be a month such as 2027-03",
    r"^[1-9][0-9]{0,9}$": "must be a whole number",
    r"^[^\x00]*$": "must not contain the NUL character",
}
_CHOICES = re.compile(r"^\^\(([\w\-|]+)\)\$$")


def _pattern_words(pattern: str) -> str:
    """What a pattern asks for, in words: a known one, a list of choices, or a plain hint."""
    if pattern in _PATTERNS:
        return _PATTERNS[pattern]
    choices = _CHOICES.match(pattern)
    if choices:
        return "must be one of " + ", ".join(choices.group(1).split("|"))
    return "is not in the expected form"


def _plain(value: Any) -> Any:
    """A limit as people write it: 0 rather than Decimal('0'), 100 rather than 100.0."""
    if isinstance(value, Decimal | float) and value == int(value):
        return int(value)
    return value


def _reason(message: str) -> str:
    """Pydantic's own text, reworded: "Value error, x" -> "x", "Input should be" -> "must be"."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if "email address" in message:
        return "must be an e-mail address (name@example.org)"
    message = message.replace("Input should be", "must be").replace("Input should", "must")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _path(loc: Iterable[Any]) -> list[str | int]:
    parts = list(loc)
    while parts and parts[0] in _LOCATIONS:
        parts.pop(0)
    # a union or function validator adds its own name to the path: keep the field names
    return [p for p in parts if not (isinstance(p, str) and p.startswith("function-"))]


def _words(path: list[str | int]) -> str:
    """A path in words: ("goals", 0, "weight") -> "Goals, line 1: Weight"; a mapping's key
    stays as typed: ("budgets", "2027") -> "Budgets 2027"."""
    words = ""
    for part in path:
        if isinstance(part, int):
            words += f", line {part + 1}"
        elif not words:
            words = label_of(part)
        elif not part.isidentifier():  # a key of a mapping, such as a year
            words += f" {part}"
        else:
            words += f": {label_of(part)}"
    return words


def reason_of(error: Mapping[str, Any]) -> str:
    """What one pydantic error says about its field, in words, without the field's name
    ("must be 0 or more"): for tables that show the field (an imported file's column) apart."""
    return in_words(_phrase(error))


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Pydantic's errors as ``FieldError``s whose message is a sentence in words.

    The field key stays in ``field`` (forms mark that input, the API keeps it as ``field``);
    the message names the field by its label: "Planned budget must be 0 or more".
    """
    found: list[FieldError] = []
    for error in errors:
        path = _path(error.get("loc", ()))
        reason = reason_of(error)
        words = f"{_words(path)} {reason}" if path else reason
        key = ".".join(str(p) for p in path) or "form"
        found.append(FieldError(key, words[:1].upper() + words[1:]))
    return found


class ChangeCaused(ReadModel):
    """A change event a write caused: what moved and how far the ripple went (read it whole,
    with the impacts you may see, at ``/api/v1/change-events/{id}``)."""

    id: int
    project_id: int
    milestone_id: int | None
    field: str
    old_date: date | None
    new_date: date | None
    delta_days: int
    moved: int
    max_slip: int
