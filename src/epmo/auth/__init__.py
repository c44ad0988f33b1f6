"""Users, roles, department membership, passwords, sessions and API tokens."""
