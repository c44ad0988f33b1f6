"""Tier rules, reporting contracts per tier, department methods, and project artefacts."""
