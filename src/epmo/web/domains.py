"""The domain packages, in the order their routes and commands are registered."""

DOMAINS = (
    "auth", "org", "strategy", "portfolio", "overview", "imports", "demo", "charter",
    "contracts", "reporting", "compliance", "rollup", "notifications", "intake", "scoring",
    "selection", "network", "audit",
)
