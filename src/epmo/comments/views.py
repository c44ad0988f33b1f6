"""Read models of the comments domain: a thread as the reader sees it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.comments import policy, repository
from epmo.comments.models import Comment
from epmo.comments.schemas import CommentRead, MentionRead
from epmo.comments.subjects import Subject


def describe_comments(session: Session, actor: Actor, subject: Subject,
                      comments: Sequence[Comment]) -> list[CommentRead]:
    """The comments of one subject with authors' and mentioned people's names."""
    mentions = repository.mentions_of(session, [c.id for c in comments])
    user_ids = {c.author_id for c in comments if c.author_id is not None}
    users = repository.users_by_id(session, user_ids | {u for m in mentions.values() for u in m})
    return [CommentRead(
        id=c.id, subject_kind=c.subject_kind, subject_id=c.subject_id, subject=subject.name,
        link=f"{subject.link}#comment-{c.id}", author_id=c.author_id,
        author_name=users[c.author_id].name if c.author_id in users else "a former user",
        text=c.text, created_at=c.created_at, edited_at=c.edited_at, version=c.version,
        mentions=[MentionRead(user_id=u, person_id=users[u].person_id, name=users[u].name)
                  for u in mentions[c.id] if u in users],
        can_edit=policy.can_edit(actor, c), can_delete=policy.can_delete(actor, c))
        for c in comments]


def describe_comment(session: Session, actor: Actor, subject: Subject,
                     comment: Comment) -> CommentRead:
    """One comment, as ``describe_comments`` describes it."""
    return describe_comments(session, actor, subject, [comment])[0]
