"""A small enterprise every test can rely on: departments, people, users of each role."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.org.models import Department, Person

# user key -> (role, department code or None, linked person key or None)
USERS = {
    "admin": ("epmo_admin", None, None),
    "exec": ("executive", None, None),
    "it_lead": ("department_lead", "IT", "it_lead"),
    "it_pm": ("project_manager", "IT", "it_pm"),
    "it_member": ("member", "IT", "it_member"),
    "it_viewer": ("viewer", "IT", None),
    "fin_lead": ("department_lead", "FIN", "fin_lead"),
    "fin_pm": ("project_manager", "FIN", "fin_pm"),
    "hr_viewer": ("viewer", "HR", None),
}
DEPARTMENTS = [("IT", "Information Technology", None), ("IT-INFRA", "IT Infrastructure", "IT"),
               ("FIN", "Finance", None), ("HR", "Human Resources", None)]
PEOPLE = [("it_lead", "IT"), ("it_pm", "IT"), ("it_member", "IT"), ("infra_pm", "IT-INFRA"),
          ("fin_lead", "FIN"), ("fin_pm", "FIN"), ("hr_lead", "HR")]


def password_for(user: str) -> str:
    """The password every world user signs in with."""
    return f"secret-{user}-pw"


@dataclass
class World:
    """Ids and credentials of the fixed test enterprise."""

    departments: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def email(self, user: str) -> str:
        """Email of a world user."""
        return f"{user}@example.org"


def build_world(session: Session) -> World:
    """Create the test enterprise and return its ids."""
    world = World()
    for code, name, parent in DEPARTMENTS:
        dept = Department(code=code, name=name,
                          parent_id=world.departments[parent] if parent else None)
        session.add(dept)
        session.flush()
        world.departments[code] = dept.id
    for key, dept_code in PEOPLE:
        person = Person(code=key.upper(), name=key.replace("_", " ").title(),
                        email=f"{key}@people.example.org", department_id=world.departments[dept_code],
                        role="Project manager" if key.endswith("pm") else "Lead")
        session.add(person)
        session.flush()
        world.people[key] = person.id
    for key, (role, dept_code, person_key) in USERS.items():
        user = auth_service.create_user(
            session, email=world.email(key), name=key.replace("_", " ").title(), role=role,
            password=password_for(key), department_codes=[dept_code] if dept_code else [],
            person_id=world.people[person_key] if person_key else None,
        )
        world.users[key] = user.id
        world.tokens[key] = auth_service.create_token(session, user, "tests")[1]
    return world
