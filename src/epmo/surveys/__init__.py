"""Stakeholder satisfaction surveys: invitations by department and role, anonymous answers,
results by group."""
