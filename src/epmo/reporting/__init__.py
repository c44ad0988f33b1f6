"""Status reports, RAID registers, roll-ups over time and the executive pack."""
