"""Departments (a hierarchy) and the people who work in them."""
