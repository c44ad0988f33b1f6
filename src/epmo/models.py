"""Load every domain's tables (the ``models.py`` of each domain in ``epmo.domains``) so the
metadata, Alembic and the test schema see them all."""

from epmo.db import Base
from epmo.domains import domain_modules

MODELS = tuple(domain_modules("models"))

__all__ = ["MODELS", "Base"]
