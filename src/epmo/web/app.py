"""The application factory: API and pages over the same services."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from epmo import __version__, wiring
from epmo.config import get_settings
from epmo.domains import domain_modules
from epmo.web import errors, health, limits, security

STATIC = Path(__file__).resolve().parent / "static"


def _routers(kind: str) -> list[APIRouter]:
    return [module.router for module in domain_modules(kind)]


def _api_docs() -> HTMLResponse:
    """Swagger UI from the vendored files: the API's page works without a network."""
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title="epmo API",
                               swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui.css",
                               swagger_favicon_url="data:,")


def create_app() -> FastAPI:
    """Build the FastAPI app with every domain's API (/api/v1) and pages."""
    settings = get_settings()
    wiring.install()
    app = FastAPI(
        title="epmo", version=__version__, docs_url=None, redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Enterprise PMO hub: the register, overview and administration API.",
    )
    limits.install(app)  # before the session middleware, which then wraps it
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie="epmo_session",
        max_age=settings.session_max_age, same_site="lax", https_only=bool(settings.cookie_secure),
    )
    errors.install(app)
    security.install(app)
    for router in _routers("api"):
        app.include_router(router, prefix="/api/v1")
    for router in _routers("ui"):
        app.include_router(router)
    app.include_router(health.router)
    app.add_api_route(security.DOCS_PATH, _api_docs, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
