"""Portfolios, programmes, projects and their milestones: the enterprise register."""
