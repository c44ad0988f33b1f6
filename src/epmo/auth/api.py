"""REST endpoints of the auth domain (/api/v1/users, tokens)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from epmo.auth import admin_service, policy, repository, service, sessions
from epmo.auth.schemas import (
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from epmo.auth.throttle import TooManyAttempts
from epmo.editing import paginate
from epmo.errors import Invalid
from epmo.schema_kit import PageOf
from epmo.web.deps import DB, CurrentActor, PageParams, PathId
from epmo.web.errors import problem

router = APIRouter(tags=["auth"])


def _read(session: DB, user_id: int) -> UserRead:
    user = service.get_user(session, user_id)
    read = UserRead.model_validate(user)
    read.department_ids = repository.department_ids(session, user_id)
    return read


@router.get("/users/me", response_model=UserRead)
def me(session: DB, actor: CurrentActor) -> object:
    """The signed-in user, their role and departments."""
    return _read(session, actor.id)


@router.get("/users", response_model=PageOf[UserRead])
def list_users(session: DB, actor: CurrentActor, page: PageParams) -> object:
    """List users (EPMO administrators)."""
    policy.require_admin(actor)
    found = paginate(session, repository.user_query(), page.limit, page.offset)
    memberships = repository.department_ids_by_user(session, [u.id for u in found.items])
    items = [UserRead.model_validate(u).model_copy(
        update={"department_ids": memberships.get(u.id, [])}) for u in found.items]
    return PageOf[UserRead](items=items, total=found.total, limit=found.limit,
                            offset=found.offset)


@router.post("/users", response_model=UserRead, status_code=201)
def create_user(session: DB, actor: CurrentActor, body: UserCreate) -> object:
    """Create a user (EPMO administrators)."""
    policy.require_admin(actor)
    user = service.create_user(session, **body.model_dump())
    return _read(session, user.id)


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(session: DB, actor: CurrentActor, user_id: PathId, body: UserUpdate) -> object:
    """Change a user's name, role, departments or linked person (EPMO administrators); the
    last active administrator keeps the role."""
    user = admin_service.update_user(session, actor, user_id, body)
    return _read(session, user.id)


@router.get("/users/me/tokens", response_model=list[TokenRead])
def list_tokens(session: DB, actor: CurrentActor) -> object:
    """Your API tokens (metadata only)."""
    return repository.list_tokens(session, actor.id)


@router.post("/users/me/tokens", response_model=TokenCreated, status_code=201)
def create_token(session: DB, actor: CurrentActor, body: TokenCreate) -> object:
    """Create an API token; its secret is in this response only."""
    token, plain = service.create_token(session, service.get_user(session, actor.id), body.name)
    return TokenCreated(token=plain, **TokenRead.model_validate(token).model_dump())


@router.delete("/users/me/tokens/{token_id}", response_model=TokenRead)
def revoke_token(session: DB, actor: CurrentActor, token_id: PathId) -> object:
    """Revoke one of your tokens."""
    return service.revoke_token(session, service.get_user(session, actor.id), token_id)


@router.post("/users/me/password", status_code=204, response_class=Response,
             responses={422: {"description": "Wrong current password or a weak new one"},
                        429: {"description": "Too many wrong passwords; see Retry-After"}})
def change_password(request: Request, session: DB, actor: CurrentActor,
                    body: PasswordChange) -> Response:
    """Change your password; every other session of yours is signed out."""
    row = sessions.current_row(request, session)
    address = request.client.host if request.client else "unknown"
    try:
        service.change_own_password(session, service.get_user(session, actor.id),
                                    body.current_password, body.new_password, address,
                                    keep_session=row.id if row else None)
    except (Invalid, TooManyAttempts) as exc:
        # Answered, not raised: the unit of work must commit a counted wrong password.
        answer = problem(request, exc.status, exc.title, exc.message, exc.errors, **exc.extra)
        if isinstance(exc, TooManyAttempts):
            answer.headers["Retry-After"] = str(exc.extra["retry_after"])
        return answer
    return Response(status_code=204)
