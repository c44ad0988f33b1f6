"""No way, in the data, to link an answer to the person who gave it: after an answer, every
table of the database is read and searched for links."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import Date, DateTime, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

import epmo.models  # noqa: F401  (every table)
from epmo.audit.models import AuditEntry
from epmo.db import Base
from epmo.surveys.models import SurveyAnswer, SurveyInvitation, SurveyRound, SurveyToken
from epmo.surveys.tokens import digest
from tests.conftest import Clients
from tests.surveys.conftest import API, full_answer, token_of
from tests.world import World

ANONYMOUS = ("survey_answer", "survey_score", "survey_token")


def _every_row(db: Session) -> dict[str, list[str]]:
    """Every row of every table, as text."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        rows = db.execute(select(table)).all()
        found[table.name] = [json.dumps(list(r), default=str) for r in rows]
    return found


def _tables_holding(rows: dict[str, list[str]], needle: str) -> set[str]:
    return {name for name, texts in rows.items() if any(needle in t for t in texts)}


def test_nothing_links_an_answer_to_its_person(as_: Clients, world: World, db: Session,
                                               spring: dict[str, Any]) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    user_id = world.users["it_member"]
    token = token_of(db, spring["id"], user_id)
    last_entry = db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    r = as_("it_member").post(f"{API}/surveys/answers",
                              json=full_answer(as_, token, sat=2, imp=5, comment=marker))
    assert r.status_code == 201, r.text
    db.expire_all()
    answer = db.scalars(select(SurveyAnswer)).one()
    rows = _every_row(db)
    # the answer's key is only in the answer and its scores; the comment only in the scores
    assert _tables_holding(rows, answer.id) == {"survey_answer", "survey_score"}
    assert _tables_holding(rows, marker) == {"survey_score"}
    # the token's hash is only in the token table (the invitee's own notification and e-mail
    # hold the token itself, as a password reset link would)
    assert _tables_holding(rows, digest(token)) == {"survey_token"}
    # the answer carries the invited department and the role, nothing personal
    assert {c.name for c in SurveyAnswer.__table__.columns} == {
        "id", "round_id", "department_id", "role"}
    for name in ANONYMOUS:
        table = Base.metadata.tables[name]
        assert not any(isinstance(c.type, Date | DateTime) for c in table.columns), name
        assert {fk.column.table.name for fk in table.foreign_keys} <= {
            "survey_round", "survey_answer", "survey_question", "department"}, name
    # the invitation only flipped "answered"; it names no token, answer or time of answering
    invitation = db.scalars(select(SurveyInvitation).where(
        SurveyInvitation.user_id == user_id)).one()
    assert invitation.answered is True
    assert {c.name for c in SurveyInvitation.__table__.columns} == {
        "id", "round_id", "user_id", "department_id", "sent_at", "answered"}
    # the audit log: the answering request recorded the flip and nothing else
    entries = db.scalars(select(AuditEntry).where(AuditEntry.id > last_entry)).all()
    assert [(e.entity, e.actor_id, e.after) for e in entries] == [
        ("survey_invitation", user_id, {"answered": True})]
    assert not db.scalars(select(AuditEntry).where(AuditEntry.entity.in_(ANONYMOUS))).all()


def test_answers_keep_no_insertion_order(as_: Clients, world: World, db: Session,
                                         spring: dict[str, Any]) -> None:
    """Keys are random, and SQLite stores these tables without a row id (in key order)."""
    for user in ("it_lead", "it_member", "fin_pm"):
        token = token_of(db, spring["id"], world.users[user])
        assert as_(user).post(f"{API}/surveys/answers",
                              json=full_answer(as_, token)).status_code == 201
    ids = list(db.scalars(select(SurveyAnswer.id)))
    assert all(len(i) == 32 and int(i, 16) for i in ids) and len(set(ids)) == 3
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps insertion order in its heap until the round is sealed")
    for name in ANONYMOUS:
        with pytest.raises(DBAPIError), db.begin_nested():
            db.execute(text(f"SELECT rowid FROM {name}"))


def test_closing_seals_the_answers_and_drops_the_links(as_: Clients, world: World,
                                                       db: Session,
                                                       spring: dict[str, Any]) -> None:
    token = token_of(db, spring["id"], world.users["it_member"])
    as_("it_member").post(f"{API}/surveys/answers", json=full_answer(as_, token))
    before = db.execute(select(SurveyAnswer.id, SurveyAnswer.role)).all()
    r = as_("admin").post(f"{API}/surveys/rounds/{spring['id']}/close",
                          json={"version": spring["version"]})
    assert r.status_code == 200
    db.expire_all()
    assert db.execute(select(SurveyAnswer.id, SurveyAnswer.role)).all() == before
    assert db.scalars(select(SurveyToken)).all() == []
    seal = db.scalars(select(AuditEntry).where(AuditEntry.entity == "survey_round",
                                               AuditEntry.action == "seal")).one()
    assert seal.after is not None and seal.after["answers"] == 1
    assert seal.actor_id == world.users["admin"]
    sealed = db.get(SurveyRound, spring["id"])
    assert sealed is not None and seal.after["digest"] == sealed.sealed_digest
    verdict = as_("admin").get(f"{API}/audit/verify").json()
    assert verdict["intact"] is True

