"""REST endpoints of the comments domain: a subject's thread, and one comment.

``/api/v1/status-reports/{id}/comments``, ``/api/v1/gate-reviews/{id}/comments`` and
``/api/v1/change-events/{id}/comments`` list and add; ``/api/v1/comments/{id}`` reads, edits
and deletes one.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.comments import policy, repository, service, views
from epmo.comments.schemas import CommentCreate, CommentRead, CommentUpdate
from epmo.web.deps import DB, CurrentActor, PathId, Version

router = APIRouter(tags=["comments"])


def _thread(session: Session, actor: Actor, kind: str, subject_id: int) -> list[CommentRead]:
    subject = policy.access_subject_or_404(session, actor, kind, subject_id)
    return views.describe_comments(session, actor, subject,
                                   repository.comments_of(session, kind, subject_id))


def _add(session: Session, actor: Actor, kind: str, subject_id: int,
         body: CommentCreate) -> CommentRead:
    comment, subject = service.create_comment(session, actor, kind, subject_id, body)
    return views.describe_comment(session, actor, subject, comment)


@router.get("/status-reports/{report_id}/comments", response_model=list[CommentRead])
def list_report_comments(session: DB, actor: CurrentActor, report_id: PathId) -> object:
    """The comments on a status report, oldest first."""
    return _thread(session, actor, "status_report", report_id)


@router.post("/status-reports/{report_id}/comments", response_model=CommentRead,
             status_code=201)
def comment_on_report(session: DB, actor: CurrentActor, report_id: PathId,
                      body: CommentCreate) -> object:
    """Comment on a status report; the mentioned people are notified."""
    return _add(session, actor, "status_report", report_id, body)


@router.get("/gate-reviews/{review_id}/comments", response_model=list[CommentRead])
def list_review_comments(session: DB, actor: CurrentActor, review_id: PathId) -> object:
    """The comments on a gate review, oldest first."""
    return _thread(session, actor, "gate_review", review_id)


@router.post("/gate-reviews/{review_id}/comments", response_model=CommentRead,
             status_code=201)
def comment_on_review(session: DB, actor: CurrentActor, review_id: PathId,
                      body: CommentCreate) -> object:
    """Comment on a gate review; the mentioned people are notified."""
    return _add(session, actor, "gate_review", review_id, body)


@router.get("/change-events/{event_id}/comments", response_model=list[CommentRead])
def list_event_comments(session: DB, actor: CurrentActor, event_id: PathId) -> object:
    """The comments on a change event, oldest first."""
    return _thread(session, actor, "change_event", event_id)


@router.post("/change-events/{event_id}/comments", response_model=CommentRead,
             status_code=201)
def comment_on_event(session: DB, actor: CurrentActor, event_id: PathId,
                     body: CommentCreate) -> object:
    """Comment on a change event; the mentioned people are notified."""
    return _add(session, actor, "change_event", event_id, body)


@router.get("/comments/{comment_id}", response_model=CommentRead)
def get_comment(session: DB, actor: CurrentActor, comment_id: PathId) -> object:
    """Read one comment."""
    comment, subject = policy.access_comment_or_404(session, actor, comment_id)
    return views.describe_comment(session, actor, subject, comment)


@router.patch("/comments/{comment_id}", response_model=CommentRead)
def update_comment(session: DB, actor: CurrentActor, comment_id: PathId,
                   body: CommentUpdate) -> object:
    """Change the text of your own comment; send the version you read."""
    comment, subject = service.update_comment(session, actor, comment_id, body)
    return views.describe_comment(session, actor, subject, comment)


@router.delete("/comments/{comment_id}", status_code=204)
def delete_comment(session: DB, actor: CurrentActor, comment_id: PathId,
                   version: Version) -> Response:
    """Delete your own comment (EPMO administrators: any); pass ``?version=``."""
    service.delete_comment(session, actor, comment_id, version)
    return Response(status_code=204)
