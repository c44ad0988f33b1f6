"""Gate reviews, the compliance evaluation against contracts and charter, and enforcement."""
