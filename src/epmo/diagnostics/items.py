"""The items of the PPM assessment, written for epmo (no P3M3 or OPM3 text is used).

Each item: (key, practice, capability, statement, six level descriptions 0..5). The levels
follow the staged-maturity idea: 0 absent, 1 initial, 2 repeatable, 3 defined, 4 managed,
5 optimising. Published versions of the instrument never change (see ``instrument.py``).
"""

from __future__ import annotations

PG, PL, PA = "portfolio_governance", "project_leadership", "ppm_administration"

ITEMS: tuple[tuple[str, str, str, str, tuple[str, str, str, str, str, str]], ...] = (
    # --- Portfolio Governance ------------------------------------------------------------
    ("PG-INT-1", PG, "intake", "New work enters through one visible front door.", (
        "Work starts wherever someone agrees to it; nobody sees it all.",
        "Some departments log requests, each in its own way.",
        "Most requests use a common form, but the EPMO still finds work started without one.",
        "Every request of the enterprise goes through one intake with a defined minimum "
        "content.",
        "Intake volumes, stages and ages are reported; work found outside intake is rare "
        "and traced.",
        "The intake is reviewed each year with requesters and adjusted from its own figures.")),
    ("PG-INT-2", PG, "intake", "Requests are decided within a known time.", (
        "Requests wait without a decision date.",
        "Decisions come when a sponsor pushes for them.",
        "A decision forum meets regularly, but lead times vary widely.",
        "A target decision time is published and each request's stage is visible.",
        "Decision lead times are measured and most requests meet the target.",
        "Lead times fall over time because the bottlenecks found are removed.")),
    ("PG-PRI-1", PG, "prioritisation", "Requests are ranked by agreed criteria.", (
        "Priority is whoever shouts loudest.",
        "Some departments score their own requests with their own criteria.",
        "A common scoring sheet exists and is used for large requests.",
        "Every request is scored on published criteria weighted to strategy.",
        "Scores are checked for consistency between scorers and departments.",
        "The criteria and weights are revised from the outcomes of past decisions.")),
    ("PG-PRI-2", PG, "prioritisation", "Priorities are tied to strategic goals.", (
        "Nobody can say which goal a project serves.",
        "Goals are named in some business cases.",
        "Most projects name a goal, but contributions are not weighed.",
        "Every project states its contribution to the enterprise's goals.",
        "Goal coverage and gaps are reported to executives each quarter.",
        "The portfolio is rebalanced when goals change, within one planning cycle.")),
    ("PG-SEL-1", PG, "selection", "The portfolio is selected within budget and capacity.", (
        "Everything asked for is started.",
        "Budget limits are applied; capacity is not considered.",
        "Budget and headcount are checked for large projects before approval.",
        "Selection runs against budget, capacity and dependencies for the whole portfolio.",
        "Scenarios are compared and the chosen one is explained to decision makers.",
        "Selection outcomes are reviewed and constraints tuned with actual delivery data.")),
    ("PG-SEL-2", PG, "selection", "Projects are stopped when they no longer pay.", (
        "Once started, projects are never stopped.",
        "Projects stop only when their money runs out.",
        "Troubled projects are discussed, but stopping one is exceptional.",
        "Defined triggers put a project up for continue, change or stop.",
        "Stop decisions are taken on evidence and the released capacity is reassigned.",
        "The portfolio kills early and learns from each stop.")),
    ("PG-GAT-1", PG, "gates", "Stage gates check readiness before work moves on.", (
        "There are no gates.",
        "Gates exist on paper for some projects.",
        "Large projects pass gates, but criteria differ from one to the next.",
        "Gates with published criteria and approvers apply by project tier.",
        "Gate outcomes are recorded and bypassed gates are visible.",
        "Gate criteria are refined from what the gates failed to catch.")),
    ("PG-GAT-2", PG, "gates", "Gate decisions are taken by the right people on evidence.", (
        "Nobody is named to decide.",
        "The sponsor decides alone, on a presentation.",
        "A board decides on a standard pack for large projects.",
        "Approvers by tier are defined; the evidence each gate needs is listed.",
        "Decisions record conditions and their follow-up is tracked to closure.",
        "Approvers review their own decisions' outcomes and adjust.")),
    ("PG-BEN-1", PG, "benefits", "Expected benefits are stated and owned.", (
        "Benefits are not written down.",
        "Some business cases list benefits in words.",
        "Large projects quantify benefits, without named owners.",
        "Every project above the threshold states measurable benefits with an owner.",
        "Benefits are tracked in a register beyond project closure.",
        "Realised benefits feed the estimates of new business cases.")),
    ("PG-BEN-2", PG, "benefits", "Realised benefits are measured after delivery.", (
        "No one checks whether benefits came.",
        "A few sponsors report benefits informally.",
        "Benefit reviews happen for flagship projects.",
        "Benefit reviews are scheduled at closure for every owned benefit.",
        "Realisation rates are reported by department and by goal.",
        "Shortfalls trigger corrective action and improve future forecasts.")),
    # --- Project Leadership ---------------------------------------------------------------
    ("PL-ROL-1", PL, "roles", "Every project has a named, capable leader and sponsor.", (
        "Projects run without a named manager.",
        "Managers are named, often part-time and untrained.",
        "Large projects get experienced managers; sponsors are named.",
        "Role descriptions for manager and sponsor are defined and used at start-up.",
        "Assignments match project tier and complexity; gaps are tracked.",
        "Leaders are developed on a career path informed by project outcomes.")),
    ("PL-ROL-2", PL, "roles", "Project managers build their skills in a planned way.", (
        "No training or support is offered.",
        "Individuals find their own training.",
        "A basic course exists and some managers have taken it.",
        "A competence framework and curriculum exist for each tier.",
        "Competence is assessed and coaching is targeted to gaps.",
        "A community of practice improves the curriculum from lessons learned.")),
    ("PL-MET-1", PL, "methods", "Projects follow a method fit for their kind and size.", (
        "Each project invents its way of working.",
        "Some teams follow a method of their choice.",
        "Departments have their own methods, unevenly applied.",
        "Departments' methods are mapped to the EPMO's minimum standard by tier.",
        "Method use is checked and deviations are approved.",
        "Methods evolve from measured results across departments.")),
    ("PL-MET-2", PL, "methods", "Templates and guidance are easy to find and use.", (
        "There are no templates.",
        "Templates circulate by e-mail, in many versions.",
        "A shared library exists but is out of date.",
        "One maintained library matches the minimum standard.",
        "Use of the library is measured and unused items are removed.",
        "Users propose improvements that are reviewed and released regularly.")),
    ("PL-RSK-1", PL, "risk", "Risks and issues are recorded and managed.", (
        "Risks are not recorded.",
        "Some projects keep a risk list at the start and never update it.",
        "Most projects keep a register, reviewed irregularly.",
        "Every project keeps a RAID register reviewed at each reporting period.",
        "Portfolio-level risks are aggregated and escalated on defined triggers.",
        "Risk data improves estimates and contingency of new projects.")),
    ("PL-RSK-2", PL, "risk", "Escalation routes are clear and used.", (
        "Problems surface when they explode.",
        "Escalation depends on personal relationships.",
        "Escalation exists for large projects.",
        "Tolerances and escalation routes are defined by tier.",
        "Escalations are timed and resolved within agreed limits.",
        "Escalation patterns are analysed to fix root causes.")),
    ("PL-CHG-1", PL, "change", "Changes to scope, dates and cost are controlled.", (
        "Changes happen without record.",
        "Large changes are noted after the fact.",
        "Change requests exist, applied unevenly.",
        "A change process with thresholds by tier applies to every project.",
        "Change volumes and impacts are reported; baselines are kept honest.",
        "Change data informs estimating and contracting practice.")),
    ("PL-CHG-2", PL, "change", "Those affected by a change hear of it and respond fast.", (
        "Affected teams find out by accident.",
        "Project managers warn the people they know.",
        "Known dependants are told by e-mail, without follow-up.",
        "Affected owners are notified from the dependency network and must acknowledge.",
        "Acknowledgement times are measured and chased.",
        "Response times keep falling; the network is trusted to plan with.")),
    ("PL-DEP-1", PL, "dependencies", "Cross-department dependencies are explicit.", (
        "Dependencies are unknown until they break.",
        "Some are mentioned in plans.",
        "Large projects list dependencies, one side only.",
        "Dependencies are declared and accepted by both sides.",
        "The network is reviewed for critical chains each planning cycle.",
        "Dependencies shape selection and scheduling from the start.")),
    ("PL-CLO-1", PL, "closure", "Projects close formally and hand over.", (
        "Projects fade away.",
        "Some projects hold a closing meeting.",
        "Large projects close with a checklist.",
        "Every project closes with acceptance, handover and archived records.",
        "Closure timeliness and completeness are measured.",
        "Closure findings change how new projects start.")),
    ("PL-CLO-2", PL, "closure", "Lessons learned reach the next projects.", (
        "Lessons are not captured.",
        "Lessons are written and filed away.",
        "Lessons are shared within a department.",
        "Lessons are kept in one searchable place and reviewed at start-up.",
        "Recurring lessons are tracked to a fix with an owner.",
        "Lessons drive changes to the standard, and their effect is checked.")),
    # --- PPM Administration ---------------------------------------------------------------
    ("PA-REP-1", PA, "status_reporting", "Status reports arrive on time at the agreed "
     "cadence.", (
        "There is no regular status reporting.",
        "Reports arrive when asked for, in any format.",
        "Most projects report monthly, often late.",
        "Every project reports at its contract's cadence with the required fields.",
        "Timeliness and completeness are measured and chased by department.",
        "Reporting is largely automatic from the tools teams already use.")),
    ("PA-REP-2", PA, "status_reporting", "Reported health can be trusted.", (
        "Everything is green until it is red.",
        "Health is a matter of the manager's mood.",
        "Health criteria exist but are applied loosely.",
        "Health is derived from defined thresholds on schedule and cost.",
        "Differences between reported and derived health are reviewed.",
        "Early-warning indicators predict trouble before it shows.")),
    ("PA-RES-1", PA, "resource_management", "Capacity and demand are known by role.", (
        "Nobody knows who is available.",
        "Managers keep their own spreadsheets.",
        "Departments plan their people; the enterprise does not see it.",
        "Capacity and demand by role and month are visible across departments.",
        "Overloads are detected and resolved before they hit projects.",
        "Capacity planning shapes selection and start dates.")),
    ("PA-RES-2", PA, "resource_management", "People move between departments when needed.", (
        "Departments never lend people.",
        "Lending happens by personal favour.",
        "Lending is requested informally and rarely tracked.",
        "A lending process with request, offer and booking exists.",
        "Lending volumes and response times are reported.",
        "Shared pools are planned jointly across departments.")),
    ("PA-REC-1", PA, "records", "Required artefacts and records are kept.", (
        "No records are kept.",
        "Documents live in personal folders.",
        "Shared folders exist, structured differently by each team.",
        "Required artefacts by tier and stage are defined and stored centrally.",
        "Record completeness is checked and gaps are followed up.",
        "Records are reused to answer audits and new projects quickly.")),
    ("PA-REC-2", PA, "records", "Decisions are traceable.", (
        "Decisions are not written down.",
        "Some minutes exist.",
        "Boards keep minutes; project decisions are scattered.",
        "Decisions and their reasons are recorded in one place.",
        "Audit trails show who decided what and when.",
        "Decision records are analysed to improve governance.")),
    ("PA-TOO-1", PA, "tools_data", "Portfolio data is collected once and shared.", (
        "Every report is built by hand.",
        "Data is copied between spreadsheets.",
        "A central list of projects exists, kept by hand.",
        "One hub holds the portfolio; departments feed it from their tools.",
        "Data quality is measured and owners fix errors.",
        "Data flows automatically; manual entry is the exception.")),
    ("PA-TOO-2", PA, "tools_data", "Reports for executives come from the same data.", (
        "Executives get different numbers from different people.",
        "A monthly pack is assembled by hand.",
        "A standard pack exists, partly automated.",
        "Roll-ups come from the hub's data, the same for all readers.",
        "Executives use the hub's views directly.",
        "Executives' questions shape the data collected.")),
    ("PA-ASR-1", PA, "assurance", "Compliance with the minimum standard is measured.", (
        "There is no minimum standard.",
        "A standard exists on paper.",
        "Compliance is checked for a sample of projects.",
        "Every project is checked against its tier's contract.",
        "Compliance is reported by department and trends are followed up.",
        "The standard is adjusted where compliance shows it adds no value.")),
    ("PA-ASR-2", PA, "assurance", "The EPMO's authority is clear per department.", (
        "The EPMO's role is undefined.",
        "The role is described vaguely.",
        "Authority is agreed informally with some departments.",
        "A charter sets authority per department and practice.",
        "Authority is applied consistently by the tools and reviewed yearly.",
        "Authority moves with measured maturity, department by department.")),
)
