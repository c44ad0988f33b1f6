"""Load an existing inventory (departments, people, goals, programmes, projects) from files."""
