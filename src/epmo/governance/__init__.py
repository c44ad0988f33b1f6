"""The EPMO charter, tiers, reporting contracts, department methods, gates and compliance."""
