"""Roll-ups of status over time by level, and the executive status pack."""
