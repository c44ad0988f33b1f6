"""Named writes of import profiles, and resolving the profile an import names.

A profile's body is checked twice: its shape by ``ProfileBody`` (strict JSON), its meaning
against the entity here (every field it names must be one of the entity's columns, snapshot
mode is for projects only), with field-level errors like ``body.values.stagee``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import apply, changes_of, check_version, ensure_unique
from epmo.errors import FieldError, Invalid, NotFound
from epmo.files.entities import Entity
from epmo.imports import policy, repository
from epmo.imports.entities import get_entity
from epmo.imports.models import ImportProfile
from epmo.imports.profile_schemas import ProfileBody, ProfileCreate, ProfileUpdate
from epmo.imports.snapshots import SNAPSHOTS
from epmo.schema_kit import reason_of


def entity_of(entity: Entity, body: ProfileBody) -> Entity:
    """The entity a file read with ``body`` holds: project snapshots in snapshot mode."""
    return SNAPSHOTS if body.snapshot and entity.name == "projects" else entity


def check_body(entity: Entity, body: ProfileBody) -> None:
    """Raise Invalid naming each field the body names that the entity does not have."""
    errors = []
    if body.snapshot and entity.name != "projects":
        errors.append(FieldError("body.snapshot", "snapshot mode is for projects only"))
    if body.create_departments and entity.name != "projects":
        errors.append(FieldError("body.create_departments", "is for projects only"))
    fields = entity_of(entity, body).by_name
    places: Iterable[tuple[str, str]] = (
        *((f"body.columns.{k}", v) for k, v in body.columns.items() if v),
        *((f"body.values.{k}", k) for k in body.values),
        *((f"body.defaults.{k}", k) for k in body.defaults),
    )
    for where, name in places:
        if name not in fields:
            errors.append(FieldError(where, f"{name!r} is not a field of {entity.name}"))
    if errors:
        raise Invalid("The import profile names fields that do not exist", errors)


def parse_body(text: str) -> ProfileBody:
    """Read a profile body from JSON text (a file), with field-level errors."""
    try:
        return ProfileBody.model_validate_json(text)
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in ("body", *e["loc"])), reason_of(e))
                  for e in exc.errors()]
        raise Invalid("The import profile is not valid", errors) from None


def new_profile(name: str, entity: str, body: ProfileBody) -> ProfileCreate:
    """A ProfileCreate from a form or the command line, with field-level errors."""
    try:
        return ProfileCreate.model_validate({"name": name, "entity": entity,
                                             "body": body.model_dump()})
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in e["loc"]), reason_of(e))
                  for e in exc.errors()]
        raise Invalid("The import profile is not valid", errors) from None


def list_profiles(session: Session, actor: Actor, entity: str | None = None) -> list[ImportProfile]:
    """The profiles of the entities the actor may import (of one entity, if given)."""
    entities = policy.importable(actor)
    return repository.list_profiles(session, [e for e in entities if entity in (None, e)])


def get_profile(session: Session, actor: Actor, name: str) -> ImportProfile:
    """The profile called ``name``, if the actor may import its entity."""
    found = repository.profile_by_name(session, name)
    if found is None:
        raise NotFound(f"No import profile called {name!r}", [FieldError("profile", "unknown")])
    return policy.access_profile_or_404(session, actor, found.id)


def create_profile(session: Session, actor: Actor, data: ProfileCreate) -> ImportProfile:
    """Save a profile under a new name."""
    entity = get_entity(data.entity)
    policy.require_import(actor, entity)
    check_body(entity, data.body)
    ensure_unique(session, ImportProfile.name, data.name, field="name")
    profile = ImportProfile(name=data.name, entity=entity.name,
                            body=data.body.model_dump(mode="json"),
                            created_by_id=actor.id or None)
    session.add(profile)
    session.flush()
    return profile


def update_profile(session: Session, actor: Actor, profile_id: int,
                   data: ProfileUpdate) -> ImportProfile:
    """Rename a profile or replace its body (send the version you read)."""
    profile = policy.access_profile_or_404(session, actor, profile_id)
    check_version(profile, data.version)
    changes = changes_of(data)
    if "name" in changes:
        ensure_unique(session, ImportProfile.name, changes["name"], exclude_id=profile.id,
                      field="name")
    if data.body is not None:
        check_body(get_entity(profile.entity), data.body)
        changes["body"] = data.body.model_dump(mode="json")
    apply(profile, changes)
    session.flush()
    return profile


def save_profile(session: Session, actor: Actor, name: str, entity: str,
                 body: ProfileBody) -> ImportProfile:
    """Create the profile ``name``, or replace the body of the one of that name."""
    found = repository.profile_by_name(session, name)
    if found is None:
        return create_profile(session, actor, new_profile(name, entity, body))
    policy.access_profile_or_404(session, actor, found.id)
    return update_profile(session, actor, found.id, ProfileUpdate(version=found.version, body=body))


def delete_profile(session: Session, actor: Actor, profile_id: int, version: int) -> None:
    """Delete a profile (send the version you read)."""
    profile = policy.access_profile_or_404(session, actor, profile_id)
    check_version(profile, version)
    session.delete(profile)
    session.flush()


def resolve(session: Session, actor: Actor, entity: str, profile: str | None) -> ProfileBody | None:
    """The body an import names: a saved profile's name, or a JSON body itself."""
    if profile is None or not profile.strip():
        return None
    text = profile.strip()
    if text.startswith("{"):
        body = parse_body(text)
    else:
        stored = get_profile(session, actor, text)
        if stored.entity != entity:
            raise Invalid(f"Profile {text!r} reads {stored.entity}, not {entity}",
                          [FieldError("profile", f"is for {stored.entity}")])
        body = ProfileBody.model_validate(stored.body)
    check_body(get_entity(entity), body)
    return body


def dump(body: ProfileBody) -> str:
    """A body as the JSON a profile file holds."""
    return json.dumps(body.model_dump(mode="json"), indent=2, ensure_ascii=False)
