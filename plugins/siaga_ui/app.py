"""The Kutim Siaga web UI: a FastAPI app that an Airflow plugin mounts at /siaga.

Pages (Bahasa Indonesia) and the JSON API share one rule: every route but /health and the
WhatsApp webhook needs a logged-in Airflow user (see `auth`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware

from siaga_ui import views
from siaga_ui.auth import Forbidden, LoginRequired, current_user
from siaga_ui.views import render
from warehouse import WarehouseBusy

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
STATIC_FILES = {"siaga.css": "text/css; charset=utf-8", "siaga.js": "text/javascript; charset=utf-8"}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    """A strict CSP (no inline script or style) and no caching of pages that may hold personal data."""

    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if not request.url.path.startswith(request.scope.get("root_path", "") + "/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def wants_json(request: Request) -> bool:
    path = request.url.path[len(request.scope.get("root_path", "")) :]
    if path.startswith(("/api/", "/openapi.json", "/webhooks/")):
        return True
    return "text/html" not in request.headers.get("accept", "") and request.method != "GET"


def create_app() -> FastAPI:
    from siaga_ui import api, pages, webhooks
    from siaga_ui.config import load_config
    from warehouse import moderation

    config = load_config()
    moderation.set_wait_s(config.warehouse_wait_s)
    app = FastAPI(
        title="Kutim Siaga API",
        description="Moderasi draf SP4N-LAPOR! dan pemantauan isu Kabupaten Kutai Timur. "
        "Autentikasi: token JWT Airflow (`Authorization: Bearer`, dari `POST /auth/token`).",
        version="1.0",
        openapi_url=None,  # served below, behind the login like everything else
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityHeaders)

    @app.get("/static/{name}", include_in_schema=False, dependencies=[Depends(current_user)])
    def static(name: str) -> Response:
        # Only the app's own files, and like every other route only for a logged-in user.
        if name not in STATIC_FILES:
            return JSONResponse({"detail": "tidak ditemukan"}, status_code=404)
        return FileResponse(
            HERE / "static" / name,
            media_type=STATIC_FILES[name],
            headers={"Cache-Control": "private, max-age=3600"},
        )

    @app.get("/health", include_in_schema=False)
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(current_user)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    app.include_router(webhooks.router)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": "Belum masuk: sertakan token Airflow (Authorization: Bearer)."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        from airflow.api_fastapi.app import get_auth_manager

        next_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(get_auth_manager().get_url_login(next_url=next_url), status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return render(request, "pesan.html", {"judul": "Akses ditolak", "pesan": str(exc)}, status_code=403)

    @app.exception_handler(WarehouseBusy)
    async def warehouse_busy(request: Request, exc: WarehouseBusy) -> Response:
        # Form posts are answered by pages.keeps_form_when_busy (with the form); this covers the rest.
        log.warning("warehouse busy on %s %s", request.method, request.url.path)
        headers = {"Retry-After": str(views.RETRY_AFTER_S)}
        reading = request.method in ("GET", "HEAD")
        if wants_json(request):
            body = {"detail": views.BUSY_READ if reading else views.BUSY_NOT_SAVED_API, "saved": False}
            return JSONResponse(body, status_code=503, headers=headers)
        if reading and request.query_params.get("hasil"):
            message = views.BUSY_SAVED_NOT_SHOWN  # the page a decision redirected to
        else:
            message = views.BUSY_READ if reading else views.BUSY_NOT_SAVED
        return render(
            request,
            "pesan.html",
            {"judul": "Gudang data sedang sibuk", "pesan": message},
            status_code=503,
            headers=headers,
        )

    @app.exception_handler(moderation.DraftNotFound)
    async def not_found(request: Request, exc: moderation.DraftNotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return render(request, "pesan.html", {"judul": "Tidak ditemukan", "pesan": str(exc)}, status_code=404)

    return app
