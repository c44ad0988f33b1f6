"""The domain packages, in the order their routes and commands are registered."""

DOMAINS = (
    "auth", "org", "strategy", "portfolio", "overview", "imports", "demo", "governance",
    "reporting", "notifications", "audit",
)
