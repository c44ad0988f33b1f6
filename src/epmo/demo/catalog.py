"""Vocabulary of the demo enterprise: departments, roles, project names, goals, milestones."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Domain:
    """A top-level department and the words its projects and people use."""

    code: str
    name: str
    weight: float  # share of the enterprise's projects
    budget_scale: float  # multiplies the enterprise median budget
    subs: tuple[tuple[str, str], ...]  # (code suffix, name) of sub-departments
    objects: tuple[str, ...]  # what its projects change
    actions: tuple[str, ...]  # what they do to it
    specialists: tuple[str, ...]  # roles of its people besides PMs and analysts
    methods: tuple[str, ...]  # methodologies, most common first


DOMAINS: tuple[Domain, ...] = (
    Domain("IT", "Information Technology", 0.24, 1.3,
           (("INFRA", "IT Infrastructure"), ("APPS", "Enterprise Applications"),
            ("DATA", "Data & Analytics"), ("SEC", "Information Security"),
            ("SD", "Service Desk"), ("ARCH", "Enterprise Architecture")),
           ("ERP", "CRM", "Data warehouse", "Identity management", "Network", "Cloud landing zone",
            "Email platform", "Backup", "Data centre", "Laptop fleet", "API gateway", "Mainframe",
            "Disaster recovery", "Endpoint security", "SD-WAN", "Data lake", "Master data",
            "Integration platform", "Monitoring", "Service desk tooling"),
           ("migration", "cut-over", "upgrade", "replacement", "consolidation", "rollout",
            "modernisation", "hardening", "decommissioning", "implementation"),
           ("Data engineer", "Software engineer", "Solution architect", "Infrastructure engineer",
            "Security analyst", "Scrum master", "Test analyst", "DevOps engineer"),
           ("agile", "hybrid", "waterfall")),
    Domain("FIN", "Finance", 0.08, 0.8,
           (("ACC", "Accounting"), ("FPA", "Financial Planning & Analysis"), ("TRE", "Treasury"),
            ("PROC", "Procurement"), ("TAX", "Tax")),
           ("Payroll", "General ledger", "Accounts payable", "Expense management",
            "Month-end close", "Budgeting tool", "Treasury system", "Invoice processing",
            "Procurement portal", "Tax reporting", "Cost allocation model",
            "Financial consolidation", "Lease accounting"),
           ("migration", "automation", "redesign", "implementation", "harmonisation", "upgrade",
            "centralisation"),
           ("Financial analyst", "Accountant", "Controller", "Procurement specialist",
            "Tax specialist"),
           ("waterfall", "hybrid")),
    Domain("HR", "Human Resources", 0.07, 0.6,
           (("TAL", "Talent Acquisition"), ("LD", "Learning & Development"),
            ("REW", "Reward & Payroll"), ("HRIS", "HR Systems"), ("ER", "Employee Relations")),
           ("Onboarding", "Performance review", "Learning platform", "Recruiting system",
            "Benefits administration", "Workforce planning", "Employee survey", "HRIS",
            "Succession planning", "Time and attendance", "Leadership programme",
            "Payroll interface"),
           ("redesign", "rollout", "implementation", "migration", "refresh", "automation",
            "launch"),
           ("HR business partner", "Recruiter", "Learning specialist", "Payroll specialist",
            "HRIS analyst"),
           ("waterfall", "hybrid", "agile")),
    Domain("OPS", "Operations", 0.13, 1.2,
           (("MFG", "Manufacturing"), ("SCM", "Supply Chain"), ("LOG", "Logistics"),
            ("QA", "Quality"), ("HSE", "Health & Safety")),
           ("Production line", "Warehouse", "Inventory management", "Demand planning", "Fleet",
            "Quality management system", "Supplier portal", "Packaging line",
            "Maintenance planning", "Shop-floor data collection", "Transport management",
            "Safety management system"),
           ("automation", "optimisation", "upgrade", "expansion", "retrofit", "rollout",
            "consolidation", "certification"),
           ("Process engineer", "Supply chain planner", "Quality engineer",
            "Logistics coordinator", "Maintenance technician", "Lean specialist"),
           ("waterfall", "lean", "hybrid")),
    Domain("MKT", "Marketing", 0.09, 0.7,
           (("BRAND", "Brand"), ("DIG", "Digital Marketing"), ("PROD", "Product Marketing"),
            ("COMMS", "Events & Communications")),
           ("Website", "Brand identity", "Marketing automation", "Customer data platform",
            "Loyalty programme", "Campaign analytics", "Product launch", "Social media hub",
            "Content management", "Trade show", "Partner portal"),
           ("relaunch", "refresh", "implementation", "redesign", "migration", "rollout", "launch"),
           ("Marketing manager", "Content designer", "Digital marketer", "Brand manager",
            "Marketing analyst"),
           ("agile", "hybrid")),
    Domain("FAC", "Facilities", 0.07, 1.5,
           (("RE", "Real Estate"), ("MAINT", "Maintenance"), ("WP", "Workplace Services"),
            ("ENE", "Energy & Sustainability")),
           ("Head office", "Regional office", "HVAC", "Building management system", "Car park",
            "Canteen", "Meeting room", "LED lighting", "Solar panel", "Access control",
            "Lab building", "Warehouse roof"),
           ("refurbishment", "relocation", "retrofit", "replacement", "expansion", "upgrade",
            "consolidation", "installation"),
           ("Facilities manager", "Building engineer", "Energy manager", "Space planner"),
           ("waterfall",)),
    Domain("LEG", "Legal & Compliance", 0.04, 0.5,
           (("CORP", "Corporate Legal"), ("COMP", "Compliance"), ("PRIV", "Privacy"),
            ("RISK", "Enterprise Risk")),
           ("Contract management", "GDPR compliance", "Policy framework",
            "Whistleblowing process", "Records retention", "Anti-bribery training",
            "Sanctions screening", "Legal entity", "Third-party risk", "Litigation tracking"),
           ("rollout", "implementation", "review", "remediation", "simplification", "automation",
            "refresh"),
           ("Legal counsel", "Compliance officer", "Privacy officer", "Risk analyst"),
           ("waterfall", "hybrid")),
    Domain("RND", "Research & Development", 0.10, 1.4,
           (("LAB", "Laboratories"), ("ENG", "Product Engineering"), ("INNO", "Innovation"),
            ("REG", "Regulatory Affairs")),
           ("Product platform", "Prototype", "Test lab", "Lab information system",
            "Clinical trial", "Materials research", "Simulation cluster", "IoT sensor",
            "Battery module", "Firmware"),
           ("development", "redesign", "validation", "upgrade", "certification", "scale-up",
            "pilot"),
           ("Research scientist", "Design engineer", "Test engineer", "Lab technician",
            "Regulatory specialist"),
           ("stage-gate", "agile", "hybrid")),
    Domain("SAL", "Sales", 0.07, 0.7,
           (("KAM", "Key Accounts"), ("CH", "Channel Sales"), ("SOPS", "Sales Operations"),
            ("PRE", "Pre-sales")),
           ("CRM", "Sales playbook", "Pricing engine", "Quote-to-cash", "Partner programme",
            "Territory", "Sales incentive plan", "Key account", "E-commerce channel",
            "Sales forecasting"),
           ("redesign", "rollout", "implementation", "optimisation", "launch", "automation",
            "expansion"),
           ("Account manager", "Sales engineer", "Sales operations analyst", "Bid manager"),
           ("hybrid", "agile")),
    Domain("CS", "Customer Service", 0.08, 0.7,
           (("CC", "Contact Centre"), ("FS", "Field Service"), ("CX", "Customer Experience"),
            ("SUP", "Technical Support")),
           ("Contact centre", "Chatbot", "Ticketing system", "Field service scheduling",
            "Knowledge base", "Customer portal", "Complaint handling", "IVR", "Returns process",
            "Service level reporting"),
           ("migration", "rollout", "redesign", "automation", "upgrade", "implementation",
            "consolidation"),
           ("Service manager", "Support engineer", "Team leader", "Quality coach",
            "Workforce planner"),
           ("agile", "hybrid", "waterfall")),
    Domain("EPMO", "Strategy & Enterprise PMO", 0.03, 0.5,
           (("STRAT", "Strategy Office"), ("PPM", "Portfolio Office"),
            ("TRANS", "Transformation Office")),
           ("PPM tool", "Benefits framework", "Portfolio governance", "Strategy cascade", "OKR",
            "Project methodology", "Capacity planning", "Change management",
            "Lessons-learned library", "Operating model"),
           ("rollout", "design", "implementation", "refresh", "adoption", "launch"),
           ("Portfolio analyst", "Strategy manager", "Change manager", "Transformation lead"),
           ("hybrid", "waterfall")),
)

# Third-level units: regional teams of a sub-department.
REGIONS: tuple[tuple[str, str], ...] = (("EMEA", "EMEA"), ("AMER", "Americas"), ("APAC", "APAC"))

QUALIFIERS = (
    " phase 2", " phase 3", " wave 1", " wave 2", " EMEA", " APAC", " Americas", " UK",
    " Germany", " France", " Nordics", " pilot", " (group)", " for plants", " for shops",
)

EXECUTIVES = ("Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer",
              "Chief Information Officer", "Chief People Officer")
SHARED_ROLES = (("Project manager", 0.13), ("Business analyst", 0.08),
                ("Programme manager", 0.03), ("PMO analyst", 0.02))

FIRST_NAMES = (
    "Aisha", "Alex", "Amelia", "Andrea", "Anna", "Arjun", "Ben", "Carla", "Chen", "Chloe",
    "Daniel", "David", "Elena", "Emma", "Eva", "Farah", "Felix", "Fatima", "Grace", "Hannah",
    "Hugo", "Ines", "Isaac", "Jamal", "James", "Jana", "Javier", "Julia", "Kai", "Karin",
    "Laura", "Leo", "Lina", "Lucas", "Maria", "Marco", "Maya", "Mei", "Mohammed", "Nadia",
    "Noah", "Nora", "Olga", "Omar", "Paul", "Priya", "Rafael", "Rosa", "Samir", "Sara",
    "Sofia", "Sven", "Tariq", "Tom", "Valentina", "Victor", "Wei", "Yusuf", "Zara", "Zoe",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Alvarez", "Andersson", "Bauer", "Becker", "Bianchi", "Brown", "Chen",
    "Costa", "Dubois", "Fischer", "Fernandes", "Garcia", "Gupta", "Hansen", "Hoffmann", "Ito",
    "Jansen", "Johnson", "Kaur", "Khan", "Kim", "Kowalski", "Larsen", "Lee", "Lopez", "Martin",
    "Meyer", "Moreau", "Muller", "Nakamura", "Nguyen", "Nielsen", "Novak", "O'Brien", "Okafor",
    "Patel", "Perez", "Petrov", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith",
    "Sousa", "Tanaka", "Taylor", "Thomas", "Visser", "Wagner", "Walker", "Wang", "Weber",
    "Williams", "Wilson", "Wong", "Yilmaz", "Zhang",
)

# (top goal, its sub-goals); the first goals are used first, so small enterprises get these.
GOALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Digital enterprise", ("Move 80% of workloads to the cloud", "One customer data platform",
                            "Modernise core ERP", "Data-driven decisions")),
    ("Operational excellence", ("Cut unit cost by 8%", "Automate back-office processes",
                                "Reduce inventory days", "Improve on-time delivery")),
    ("Grow revenue in core markets", ("Win 50 new key accounts", "Expand e-commerce share",
                                      "Raise customer retention", "Launch in APAC")),
    ("Customer experience", ("Raise NPS by 10 points", "First-contact resolution above 80%",
                             "Self-service for the top 20 journeys")),
    ("People and culture", ("Engagement above 75%", "Halve regretted attrition",
                            "Build the leadership pipeline", "Skills for the digital age")),
    ("Risk, compliance and resilience", ("Zero material audit findings", "Cyber resilience",
                                         "Privacy by design")),
    ("Sustainability", ("Net-zero operations by 2030", "Cut energy use by 20%",
                        "Sustainable supply chain")),
    ("Innovation", ("Ten new patents a year", "Halve time to market",
                    "Open innovation partnerships")),
)
# Which top goals (by index in GOALS) a department's projects mostly serve.
GOAL_AFFINITY: dict[str, tuple[int, ...]] = {
    "IT": (0, 5, 1), "FIN": (1, 5), "HR": (4, 1), "OPS": (1, 6), "MKT": (2, 3),
    "FAC": (6, 1), "LEG": (5,), "RND": (7, 2), "SAL": (2, 3), "CS": (3, 0), "EPMO": (1, 4, 0),
}

MILESTONES = (
    "Kick-off", "Requirements signed off", "Design approved", "Build complete",
    "Testing complete", "Go-live", "Handover to operations", "Benefits review",
)
