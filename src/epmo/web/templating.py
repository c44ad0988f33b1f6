"""The shared Jinja2 environment: one loader over web/templates and every domain's templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from epmo import money
from epmo.domains import DOMAINS
from epmo.errors import in_words, label_of

ROOT = Path(__file__).resolve().parent.parent


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
    env_templates.env.filters.update(money.FILTERS)
    env_templates.env.filters.update(day=_day, label=_label, field_label=label_of, words=in_words)
    env_templates.env.globals.update(money_locale=money.browser_locale,
                                     money_currency=money.currency)
    return env_templates


templates = _build()
