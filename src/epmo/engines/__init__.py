"""Pure computation engines: stdlib-only functions over frozen dataclasses of ids and numbers."""
