"""Scoring models (weighted or pairwise criteria), scorers' scores and the ranked list."""
