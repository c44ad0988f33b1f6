"""The shared Jinja2 environment: one loader over web/templates and every domain's templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from epmo.domains import DOMAINS
from epmo.errors import in_words, label_of

ROOT = Path(__file__).resolve().parent.parent


def _money(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    amount = float(value)
    for unit, size in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(amount) >= size:
            return f"{amount / size:,.1f} {unit}"
    return f"{amount:,.0f}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _build() -> Jinja2Templates:
    folders = [ROOT / "web" / "templates"]
    folders += [ROOT / name / "templates" for name in DOMAINS]
    folders = [folder for folder in folders if folder.is_dir()]
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders])
    env_templates = Jinja2Templates(directory=str(folders[0]))
    env_templates.env.loader = loader
    env_templates.env.filters.update(money=_money, day=_day, label=_label,
                                     field_label=label_of, words=in_words)
    return env_templates


templates = _build()
