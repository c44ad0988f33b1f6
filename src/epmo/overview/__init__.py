"""The enterprise overview: project counts, budgets and health rolled up for the EPMO leader."""
