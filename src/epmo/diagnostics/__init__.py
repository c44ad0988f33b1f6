"""Diagnostics: the PPM maturity assessment, anonymous stakeholder surveys and their results."""
