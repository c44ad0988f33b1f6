#!/usr/bin/env bash
# Autogenerate a migration against a scratch SQLite database at head, then lint-fix it:
#   scripts/make_migration.sh "message" [rev-id]
set -euo pipefail
cd "$(dirname "$0")/.."
export EPMO_DATABASE_URL=sqlite:///alembic-dev.db EPMO_ENV=development
rm -f alembic-dev.db
.venv/bin/alembic -c alembic.ini upgrade head
.venv/bin/alembic -c alembic.ini revision --autogenerate -m "${1:?message}" ${2:+--rev-id "$2"}
rm -f alembic-dev.db
.venv/bin/ruff check --fix --unsafe-fixes -q src/epmo/migrations
