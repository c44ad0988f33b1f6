"""The EPMO's own questionnaire about its services (version 1 of ``epmo-services``)."""

from __future__ import annotations

STANDARD_KEY = "epmo-services"
STANDARD_TITLE = "How well does the EPMO serve you?"
STANDARD_INTRO = (
    "For each service of the Enterprise PMO, say how satisfied you are with it and how "
    "important it is to your work (1 = not at all, 5 = very). Your answer is anonymous: it is "
    "stored without your name, and results are only shown for groups of at least five people "
    "once the survey has closed. Comments are optional; please leave out names.")

# (code, service, question): the code stays the same in later versions of the instrument.
STANDARD_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("intake", "Intake of new requests",
     "Submitting a project idea or request is simple, and you hear back within a reasonable "
     "time with a clear decision and its reasons."),
    ("prioritisation", "Prioritisation and selection",
     "The way projects are scored, selected and funded is transparent and fair to your "
     "department."),
    ("status_reporting", "Status reporting",
     "The status reports the EPMO asks for are worth the effort: the templates are clear, the "
     "cadence is right, and the roll-ups help decisions."),
    ("governance_gates", "Governance gates",
     "Stage gates and reviews catch real problems early without slowing good projects down."),
    ("resource_coordination", "Resource coordination",
     "When your projects need people from other departments, the EPMO helps you find and book "
     "them, and conflicts are settled quickly."),
    ("dependencies", "Cross-department dependencies",
     "You learn in time when another department's change affects your work, and the handshake "
     "on dependencies works."),
    ("methods_support", "Methods, coaching and support",
     "You can get practical help from the EPMO on methods, planning and project problems when "
     "you need it."),
    ("training", "Training",
     "The training the EPMO offers (or arranges) builds the project skills your people need."),
    ("tools", "Tools and data",
     "The hub and the tools the EPMO provides are easy to use and their data can be trusted."),
    ("communication", "Communication",
     "The EPMO explains its decisions, standards and changes clearly and listens to feedback."),
    ("value", "Overall value",
     "Overall, the EPMO adds value to your department's work and to the enterprise."),
)
