"""The web layer: app factory, request dependencies, error rendering, base templates."""
