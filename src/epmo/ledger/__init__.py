"""The value ledger: the EPMO's own contribution (savings, cost avoidance, days saved) with
evidence, and the value report."""
