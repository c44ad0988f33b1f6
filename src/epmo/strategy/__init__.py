"""Strategic goals: a weighted hierarchy that projects contribute to."""
