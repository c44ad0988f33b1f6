"""Project schedules read from MS Project and Primavera files (issue 12)."""
