"""``python -m epmo`` runs the CLI."""

from epmo.cli import main

main()
