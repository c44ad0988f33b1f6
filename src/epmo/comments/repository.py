"""Reads of the comments domain: a subject's thread, mentions, and the users they name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.comments.models import Comment, CommentMention
from epmo.org.models import Person


def get_comment(session: Session, comment_id: int) -> Comment | None:
    """One comment by id."""
    return session.get(Comment, comment_id)


def comments_of(session: Session, kind: str, subject_id: int) -> list[Comment]:
    """A subject's comments, oldest first."""
    return list(session.scalars(
        select(Comment).where(Comment.subject_kind == kind, Comment.subject_id == subject_id)
        .order_by(Comment.id)))


def mentions_of(session: Session, comment_ids: Iterable[int]) -> dict[int, list[int]]:
    """The user ids each comment mentions, by comment id (one query for all)."""
    wanted = sorted(set(comment_ids))
    found: dict[int, list[int]] = {i: [] for i in wanted}
    if wanted:
        rows = session.execute(select(CommentMention.comment_id, CommentMention.user_id)
                               .where(CommentMention.comment_id.in_(wanted))
                               .order_by(CommentMention.comment_id, CommentMention.user_id))
        for comment_id, user_id in rows:
            found[comment_id].append(user_id)
    return found


def users_by_id(session: Session, user_ids: Iterable[int]) -> dict[int, User]:
    """Users by id (inactive ones too: an old comment still names its author)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def people_by_id(session: Session, person_ids: Iterable[int]) -> dict[int, Person]:
    """People by id."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}


def active_users_of_people(session: Session, person_ids: Iterable[int]) -> dict[int, User]:
    """The active user who signs in as each person, by person id (the lowest id if several)."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    rows = session.scalars(select(User).where(User.person_id.in_(wanted), User.is_active)
                           .order_by(User.id.desc()))
    return {u.person_id: u for u in rows if u.person_id is not None}
