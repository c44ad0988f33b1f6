"""Tables of the surveys domain: instruments, rounds, invitations, one-time tokens, answers.

Anonymity is a property of these tables, not of the pages that read them:

- ``survey_invitation`` knows who was invited and flips ``answered``; it holds no token, no
  answer id and no time of answering.
- ``survey_token`` holds only the SHA-256 of each one-time link, its round and a used flag:
  no user column. Tokens of a round are inserted in a random order (never the invitations'),
  and deleted when the round closes.
- ``survey_answer`` and ``survey_score`` carry the round, the department the person was invited
  as and their role, and the scores: no user, no token, no timestamp; the key is a random UUID,
  and on SQLite the tables are ``WITHOUT ROWID`` so rows are stored in key (random) order.
- ``__audited__ = False`` keeps these three tables out of the per-row audit capture (who,
  when, values): an entry there would sit next to the invitation's ``answered`` flip in the
  hash chain, with the same actor and instant. Closing a round seals its answers in the audit
  log instead: one entry with their count and digest (``service.close_round``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned, utcnow

MIN_GROUP = 5  # fewer answers than this in a group: its figures are never shown
NO_ROWID: dict[str, Any] = {"sqlite_with_rowid": False}


class SurveyInstrument(Base):
    """A questionnaire; a change makes a new ``version`` so earlier rounds stay comparable."""

    __tablename__ = "survey_instrument"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurveyQuestion(Base):
    """One service of the EPMO rated for satisfaction and importance (1 to 5); ``code`` stays
    the same across versions of the instrument, so the trend follows it."""

    __tablename__ = "survey_question"
    __table_args__ = (UniqueConstraint("instrument_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("survey_instrument.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    service: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class SurveyRound(Versioned, Base):
    """One asking of an instrument: whom (departments with their sub-departments, roles),
    from when to when; ``closed_on`` is set when an administrator closes it (or it is sealed
    after ``closes_on``)."""

    __tablename__ = "survey_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("survey_instrument.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    sealed_digest: Mapped[str | None] = mapped_column(String(64))


class SurveyInvitation(Base):
    """Who was invited to a round, as which department, and whether they answered (only that)."""

    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered: Mapped[bool] = mapped_column(default=False)


class SurveyToken(Base):
    """The SHA-256 of one one-time answer link: no user, no answer, no time."""

    __tablename__ = "survey_token"
    __table_args__ = (NO_ROWID,)
    __audited__: ClassVar[bool] = False

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    used: Mapped[bool] = mapped_column(default=False)


class SurveyAnswer(Base):
    """One anonymous answer: its round, the department and role of whoever gave it, no more."""

    __tablename__ = "survey_answer"
    __table_args__ = (NO_ROWID,)
    __audited__: ClassVar[bool] = False

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4().hex, random
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(30))


class SurveyScore(Base):
    """An answer's satisfaction and importance (1 to 5) for one question, and a comment."""

    __tablename__ = "survey_score"
    __table_args__ = (
        CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction"),
        CheckConstraint("importance BETWEEN 1 AND 5", name="importance"),
        NO_ROWID,
    )
    __audited__: ClassVar[bool] = False

    answer_id: Mapped[str] = mapped_column(
        ForeignKey("survey_answer.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_question.id", ondelete="CASCADE"), primary_key=True, index=True)
    satisfaction: Mapped[int] = mapped_column(SmallInteger)
    importance: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
