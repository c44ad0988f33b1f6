"""The demo enterprise: a deterministic, realistic data set loaded by ``epmo demo``."""
