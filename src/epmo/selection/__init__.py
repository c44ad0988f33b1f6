"""Scenarios: portfolio selection under budget, capacity and rules, frontier, compare, commit."""
