"""Single intake: requests for new work from every department, their pipeline and decisions."""
