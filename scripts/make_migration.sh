#!/usr/bin/env bash
# Autogenerate a migration against a scratch SQLite database at head: scripts/make_migration.sh "message"
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f alembic-dev.db
.venv/bin/alembic -c alembic.ini upgrade head
.venv/bin/alembic -c alembic.ini revision --autogenerate -m "${1:?message}"
rm -f alembic-dev.db
