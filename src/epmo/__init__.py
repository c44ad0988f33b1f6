"""epmo: the Enterprise PMO hub."""

__version__ = "0.1.0"
