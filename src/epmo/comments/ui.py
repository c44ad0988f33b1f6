"""Pages of the comments domain: a subject's thread, its form, edits and deletions.

The thread lives on ``/status-reports/{id}/comments``, ``/gate-reviews/{id}/comments`` and,
inside the change event's page, in a slot htmx fills from ``/comments/change-events/{id}``.
Forms post with htmx and get the thread back (an error keeps what was typed); without
script they post, redirect, or show the thread's page again with the error.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.comments import policy, repository, service, views
from epmo.comments.models import MAX_TEXT
from epmo.comments.schemas import CommentCreate, CommentUpdate
from epmo.comments.subjects import Subject
from epmo.errors import EpmoError, FieldError, Invalid, NotFound
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import form_action, form_values, parse_form, redirect, render, with_ints

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
#: the address segment of each subject kind, and back
SEGMENTS = {"status-reports": "status_report", "gate-reviews": "gate_review",
            "change-events": "change_event"}
SEGMENT_OF = {kind: segment for segment, kind in SEGMENTS.items()}
PICK_A_PERSON = "pick a person from the suggestions that appear as you type a name"
MENTION_FIELDS = 5  # mention fields on the form (the API takes up to MAX_MENTIONS)


def _subject(session: Session, actor: Actor, segment: str, subject_id: int) -> Subject:
    if segment not in SEGMENTS:
        raise NotFound(f"There are no comments on {segment}")
    return policy.access_subject_or_404(session, actor, SEGMENTS[segment], subject_id)


def _htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def _render(request: Request, session: Session, actor: Actor, subject: Subject, *,
            whole: bool, status: int = 200, form: dict[str, Any] | None = None,
            error: EpmoError | None = None, failed: int | None = None) -> Response:
    """The thread (``whole``: inside its own page); ``failed`` the comment whose edit or
    deletion ``error`` refused (None: the new comment's form)."""
    comments = views.describe_comments(
        session, actor, subject, repository.comments_of(session, subject.kind, subject.id))
    return render(request, "comments/page.html" if whole else "comments/_thread.html", actor,
                  status, subject=subject, segment=SEGMENT_OF[subject.kind], comments=comments,
                  can_comment=policy.can_comment(actor), form=form or {}, error=error,
                  failed=failed, max_text=MAX_TEXT, mention_fields=MENTION_FIELDS)


def _answer(request: Request, session: Session, actor: Actor, subject: Subject,
            done_url: str) -> Response:
    if _htmx(request):
        return _render(request, session, actor, subject, whole=False)
    return redirect(done_url)


def _again(request: Request, session: Session, actor: Actor, subject: Subject,
           exc: EpmoError, form: dict[str, Any], failed: int | None = None) -> Response:
    # htmx swaps only 2xx answers: the thread with the error comes back as 200 to a script,
    # with the error's own status to a plain form post.
    return _render(request, session, actor, subject, whole=not _htmx(request),
                   status=200 if _htmx(request) else exc.status, form=form, error=exc,
                   failed=failed)


@router.get("/status-reports/{subject_id}/comments")
def report_comments_page(request: Request, session: DB, actor: CurrentActor,
                         subject_id: PathId) -> Response:
    """A status report's comments and the form to add one."""
    subject = _subject(session, actor, "status-reports", subject_id)
    return _render(request, session, actor, subject, whole=True)


@router.get("/gate-reviews/{subject_id}/comments")
def review_comments_page(request: Request, session: DB, actor: CurrentActor,
                         subject_id: PathId) -> Response:
    """A gate review's comments and the form to add one."""
    subject = _subject(session, actor, "gate-reviews", subject_id)
    return _render(request, session, actor, subject, whole=True)


@router.get("/change-events/{subject_id}/comments")
def event_comments_page(request: Request, session: DB, actor: CurrentActor,
                        subject_id: PathId) -> Response:
    """A change event's comments on a page of their own (the event's page shows them too)."""
    subject = _subject(session, actor, "change-events", subject_id)
    return _render(request, session, actor, subject, whole=True)


@router.get("/comments/{segment}/{subject_id}")
def thread(request: Request, session: DB, actor: CurrentActor, segment: str,
           subject_id: PathId) -> Response:
    """The thread alone, for a subject's page to load into its comments slot."""
    subject = _subject(session, actor, segment, subject_id)
    return _render(request, session, actor, subject, whole=False)


def _version(values: dict[str, Any]) -> int:
    version = str(values.get("version") or "")
    if not version.isdigit():
        raise Invalid("Reload the page and try again",
                      [FieldError("version", "must be a whole number")])
    return int(version)


@router.post("/comments/{comment_id}/edit", dependencies=CSRF)
def edit_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
              comment_id: PathId) -> Response:
    """Save new text for one's own comment."""
    _, subject = policy.access_comment_or_404(session, actor, comment_id)
    values = {k: str(v or "") for k, v in form_values(submitted).items()}

    def write() -> Any:
        data = parse_form(CommentUpdate, {"version": _version(values),
                                          "text": values.get("text") or ""})
        return service.update_comment(session, actor, comment_id, data)
    return form_action(
        session, write,
        lambda exc: _again(request, session, actor, subject, exc, values, comment_id),
        lambda _: _answer(request, session, actor, subject,
                          f"{subject.link}#comment-{comment_id}"))


@router.post("/comments/{comment_id}/delete", dependencies=CSRF)
def delete_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                comment_id: PathId) -> Response:
    """Delete one's own comment (an EPMO administrator: any)."""
    _, subject = policy.access_comment_or_404(session, actor, comment_id)
    values = {k: str(v or "") for k, v in form_values(submitted).items()}
    return form_action(
        session, lambda: service.delete_comment(session, actor, comment_id, _version(values)),
        lambda exc: _again(request, session, actor, subject, exc, {}, comment_id),
        lambda _: _answer(request, session, actor, subject, f"{subject.link}#comments"))


def _new_comment(values: dict[str, Any]) -> CommentCreate:
    """The new comment from the form: each filled mention field must be a picked person."""
    typed = [m for m in values.get("mentions") or [] if m]
    picked = [with_ints({"m": m}, "m")["m"] for m in typed]
    wrong = [n for n, m in enumerate(picked, 1) if not isinstance(m, int)]
    if wrong:
        which = ", ".join(str(n) for n in wrong)
        raise Invalid(f"Mention {which}: {PICK_A_PERSON}",
                      [FieldError("mentions", f"mention {which}: {PICK_A_PERSON}")])
    data: CommentCreate = parse_form(CommentCreate, {
        "text": values.get("text") or "", "mentions": list(dict.fromkeys(picked))})
    return data


def _comment_values(submitted: Any) -> dict[str, Any]:
    """The form's text and every mention field (the form repeats ``mentions``)."""
    values: dict[str, Any] = {k: str(v or "") for k, v in form_values(submitted).items()}
    values["mentions"] = [str(m).strip() for m in submitted.getlist("mentions")][:MENTION_FIELDS]
    return values


@router.post("/comments/{segment}/{subject_id}", dependencies=CSRF)
def comment_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                 segment: str, subject_id: PathId) -> Response:
    """Add a comment; the thread comes back with it, or the form with the typed text and
    the error."""
    subject = _subject(session, actor, segment, subject_id)
    values = _comment_values(submitted)
    return form_action(
        session, lambda: service.create_comment(session, actor, subject.kind, subject.id,
                                                _new_comment(values)),
        lambda exc: _again(request, session, actor, subject, exc, values),
        lambda made: _answer(request, session, actor, subject,
                             f"{subject.link}#comment-{made[0].id}"))
