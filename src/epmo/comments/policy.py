"""Who may read and write comments.

A comment is read by whoever may read its subject, through the subject domain's own read
policy (a status report or gate review: its project; a change event: its project or a
project it hits), so a comment on something one may not read answers 404 like the subject.
Everyone who reads may comment except viewers, who only read. Authors edit their own
comments; authors and EPMO administrators delete them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.comments import repository
from epmo.comments.models import SUBJECT_KINDS, Comment
from epmo.comments.subjects import Subject, subject_of
from epmo.compliance.gates import access_review_or_404
from epmo.compliance.models import GateReview
from epmo.errors import Forbidden, NotFound
from epmo.network.models import ChangeEvent
from epmo.network.policy import access_event_or_404
from epmo.reporting.models import StatusReport
from epmo.reporting.policy import access_report_or_404

READ_ONLY_ROLES = frozenset({"viewer"})


def access_subject_or_404(session: Session, actor: Actor, kind: str, subject_id: int) -> Subject:
    """The subject if the actor may read it (by its own domain's policy), else NotFound."""
    row: StatusReport | GateReview | ChangeEvent
    if kind == "status_report":
        row = access_report_or_404(session, actor, subject_id)
    elif kind == "gate_review":
        row = access_review_or_404(session, actor, subject_id)
    elif kind == "change_event":
        row = access_event_or_404(session, actor, subject_id)
    else:
        raise NotFound(f"Nothing to comment on: {kind} is not one of {', '.join(SUBJECT_KINDS)}")
    return subject_of(session, row)


def may_read_subject(session: Session, actor: Actor, subject: Subject) -> bool:
    """Whether ``actor`` (e.g. someone mentioned) may read the subject."""
    try:
        access_subject_or_404(session, actor, subject.kind, subject.id)
    except NotFound:
        return False
    return True


def can_comment(actor: Actor) -> bool:
    """Everyone who reads the subject may comment, except viewers."""
    return actor.role not in READ_ONLY_ROLES


def require_comment(actor: Actor) -> None:
    """Raise Forbidden for viewers, who read comments but do not write them."""
    if not can_comment(actor):
        raise Forbidden("Viewers read comments but do not write them")


def access_comment_or_404(session: Session, actor: Actor,
                          comment_id: int) -> tuple[Comment, Subject]:
    """A comment on a subject the actor may read, and that subject; else NotFound."""
    comment = repository.get_comment(session, comment_id)
    if comment is not None:
        try:
            return comment, access_subject_or_404(session, actor, comment.subject_kind,
                                                  comment.subject_id)
        except NotFound:
            pass
    raise NotFound(f"Comment {comment_id} not found")


def can_edit(actor: Actor, comment: Comment) -> bool:
    """Only the author edits a comment (and not as a viewer)."""
    return comment.author_id == actor.id and can_comment(actor)


def can_delete(actor: Actor, comment: Comment) -> bool:
    """The author, or an EPMO administrator, deletes a comment."""
    return can_edit(actor, comment) or is_admin(actor)


def require_edit(actor: Actor, comment: Comment) -> None:
    """Raise Forbidden unless the actor wrote the comment."""
    if not can_edit(actor, comment):
        raise Forbidden("Only the author may edit a comment")


def require_delete(actor: Actor, comment: Comment) -> None:
    """Raise Forbidden unless the actor wrote the comment or is an EPMO administrator."""
    if not can_delete(actor, comment):
        raise Forbidden("Only the author or an EPMO administrator may delete a comment")
