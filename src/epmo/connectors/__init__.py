"""Connections to the departments' own online tools (Jira Cloud), synced by the worker."""
