"""Named writes of the comments domain: comment, edit, delete; mentions notify.

Every write goes through the ORM in the request's unit of work, so the audit log records it
(who, when, before and after) like any other write.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.comments import policy, repository
from epmo.comments.models import Comment, CommentMention
from epmo.comments.schemas import CommentCreate, CommentUpdate
from epmo.comments.subjects import Subject
from epmo.db import utcnow
from epmo.editing import check_version
from epmo.errors import FieldError, Invalid
from epmo.notifications.publishing import actors_for, publish

MENTION_KIND = "comment.mention"
EXCERPT = 300


def _refuse(message: str) -> Invalid:
    return Invalid(message, [FieldError("mentions", message)])


def mentioned_users(session: Session, subject: Subject, person_ids: Sequence[int]) -> list[User]:
    """The users signing in as the mentioned people; refuses, naming the person, someone
    unknown, without a sign-in, or who may not read the subject."""
    wanted = list(dict.fromkeys(person_ids))
    people = repository.people_by_id(session, wanted)
    users = repository.active_users_of_people(session, wanted)
    for person_id in wanted:
        if person_id not in people:
            raise _refuse(f"There is no person with id {person_id} to mention")
        if person_id not in users:
            raise _refuse(f"{people[person_id].name} has no sign-in to the hub, so cannot be "
                          "mentioned")
    found = [users[p] for p in wanted]
    actors = actors_for(session, found)
    for person_id, user in zip(wanted, found, strict=True):
        if not policy.may_read_subject(session, actors[user.id], subject):
            raise _refuse(f"{people[person_id].name} may not read {subject.name}, so cannot be "
                          "mentioned")
    return found


def create_comment(session: Session, actor: Actor, kind: str, subject_id: int,
                   data: CommentCreate) -> tuple[Comment, Subject]:
    """Comment on a subject the actor may read; the mentioned people are notified."""
    subject = policy.access_subject_or_404(session, actor, kind, subject_id)
    policy.require_comment(actor)
    users = mentioned_users(session, subject, data.mentions)
    comment = Comment(subject_kind=subject.kind, subject_id=subject.id, author_id=actor.id,
                      text=data.text, **{f"{subject.kind}_id": subject.id})
    session.add(comment)
    session.flush()
    session.add_all(CommentMention(comment_id=comment.id, user_id=u.id) for u in users)
    session.flush()
    notify_mentioned(session, actor, subject, comment, [u.id for u in users])
    return comment, subject


def notify_mentioned(session: Session, actor: Actor, subject: Subject, comment: Comment,
                     user_ids: Sequence[int]) -> None:
    """Tell each mentioned user (not the author) in-app and by e-mail as they chose."""
    recipients = [u for u in user_ids if u != actor.id]
    if not recipients:
        return
    excerpt = comment.text if len(comment.text) <= EXCERPT else comment.text[:EXCERPT] + "…"
    publish(session, kind=MENTION_KIND, title=f"{actor.name} mentioned you on {subject.name}",
            body=f"{actor.name} wrote: {excerpt}", link=f"{subject.link}#comment-{comment.id}",
            payload={"comment_id": comment.id, "subject_kind": subject.kind,
                     "subject_id": subject.id, "author_id": actor.id},
            targets=[], recipients=recipients, webhooks=False)


def update_comment(session: Session, actor: Actor, comment_id: int,
                   data: CommentUpdate) -> tuple[Comment, Subject]:
    """Change the text of one's own comment; a stale version answers 409."""
    comment, subject = policy.access_comment_or_404(session, actor, comment_id)
    policy.require_edit(actor, comment)
    check_version(comment, data.version)
    if data.text != comment.text:
        comment.text = data.text
        comment.edited_at = utcnow()
        session.flush()
    return comment, subject


def delete_comment(session: Session, actor: Actor, comment_id: int,
                   version: int | None = None) -> Subject:
    """Delete one's own comment (an EPMO administrator: any); return its subject."""
    comment, subject = policy.access_comment_or_404(session, actor, comment_id)
    policy.require_delete(actor, comment)
    if version is not None:
        check_version(comment, version)
    session.delete(comment)
    session.flush()
    return subject
