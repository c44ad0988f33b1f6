"""Named writes of project artefacts: a link to a document, or a file kept in the database.

An uploaded file is stored whole in ``artefact.content`` with its SHA-256, size and a
content type guessed from its name; its size is limited by ``EPMO_ARTEFACT_MAX_BYTES``.
Whoever may change a project adds and removes its artefacts.

The row is written through the ORM, so the audit log records its metadata (name, size,
SHA-256) on create and delete; the bytes themselves are written and cleared with one
statement each outside the flush, because the log keeps JSON snapshots and a file does not
belong in it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.config import get_settings
from epmo.contracts import policy, repository
from epmo.contracts.models import ARTEFACT_KINDS, Artefact
from epmo.contracts.schemas import ArtefactLink, ArtefactRead
from epmo.editing import check_version
from epmo.errors import FieldError, Invalid, NotFound
from epmo.portfolio.models import STAGES, Project

UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\]")
DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as it arrived: its name and bytes (at most one byte past the limit)."""

    file_name: str
    content: bytes


def _fail(errors: list[FieldError]) -> None:
    if errors:
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def _kind_stage_errors(kind: str, stage: str) -> list[FieldError]:
    errors = []
    if kind not in ARTEFACT_KINDS:
        errors.append(FieldError("kind", f"{kind!r} is not an artefact kind; one of "
                                         f"{', '.join(ARTEFACT_KINDS)}"))
    if stage not in STAGES:
        errors.append(FieldError("stage", f"{stage!r} is not an enterprise stage; one of "
                                          f"{', '.join(STAGES)}"))
    return errors


def _url_errors(url: str) -> list[FieldError]:
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return []
    return [FieldError("url", "must be a web address starting with http:// or https://")]


def _uploader(actor: Actor) -> int | None:
    return actor.id or None  # the system actor (id 0) has no account row


def add_artefact_link(session: Session, actor: Actor, project_id: int,
                      data: ArtefactLink) -> Artefact:
    """Record a document kept elsewhere by its address."""
    project = policy.writable_project_or_404(session, actor, project_id)
    stage = data.stage or project.stage
    _fail(_kind_stage_errors(data.kind, stage) + _url_errors(data.url))
    artefact = Artefact(project_id=project.id, kind=data.kind, stage=stage, title=data.title,
                        url=data.url, uploaded_by_id=_uploader(actor))
    session.add(artefact)
    session.flush()
    return artefact


def clean_name(name: str) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return UNSAFE.sub("", base).strip()[-255:] or "upload"


def _size_errors(size: int) -> list[FieldError]:
    limit = get_settings().artefact_max_bytes
    if size == 0:
        return [FieldError("file", "is empty; choose a file with content")]
    if size > limit:
        return [FieldError("file", f"is larger than the limit of {limit:,} bytes "
                                   f"({limit / 1024 / 1024:.1f} MiB)")]
    return []


def upload_artefact(session: Session, actor: Actor, project_id: int, kind: str,
                    stage: str | None, title: str | None, upload: Upload) -> Artefact:
    """Keep an uploaded file with its name, SHA-256, size and content type."""
    project = policy.writable_project_or_404(session, actor, project_id)
    name = clean_name(upload.file_name)
    stage = stage or project.stage
    _fail(_kind_stage_errors(kind, stage) + _size_errors(len(upload.content)))
    artefact = Artefact(
        project_id=project.id, kind=kind, stage=stage, title=(title or name)[:200],
        file_name=name, content_type=(mimetypes.guess_type(name)[0] or DEFAULT_TYPE)[:100],
        size=len(upload.content), sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by_id=_uploader(actor))
    session.add(artefact)
    session.flush()
    repository.set_content(session, artefact, upload.content)
    return artefact


def delete_artefact(session: Session, actor: Actor, artefact_id: int, version: int) -> Project:
    """Remove an artefact; returns its project."""
    artefact = policy.writable_artefact_or_404(session, actor, artefact_id)
    check_version(artefact, version)
    project = policy.access_project_or_404(session, actor, artefact.project_id)
    repository.set_content(session, artefact, None)
    session.delete(artefact)
    session.flush()
    return project


def file_of(session: Session, actor: Actor, artefact_id: int) -> tuple[Artefact, bytes]:
    """An uploaded artefact and its bytes (a link has none: NotFound)."""
    artefact = policy.access_artefact_or_404(session, actor, artefact_id)
    if artefact.content is None:
        raise NotFound(f"Artefact {artefact_id} is a link, not a file",
                       [FieldError("id", f"open {artefact.url} instead")])
    return artefact, artefact.content


def describe(artefacts: Sequence[Artefact]) -> list[ArtefactRead]:
    """Artefacts as the API returns them, with their download addresses."""
    return [ArtefactRead.model_validate(a).model_copy(
        update={"download_url": f"/api/v1/artefacts/{a.id}/download"}) for a in artefacts]
