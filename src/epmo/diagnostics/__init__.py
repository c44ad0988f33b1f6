"""Diagnostics: the PPM maturity assessment, its measured evidence and its results."""
