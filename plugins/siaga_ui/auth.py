"""Who is asking: the logged-in Airflow user, mapped to a Siaga role, and CSRF for forms.

Airflow 3 mounts plugin apps without authenticating them, so every route here (but
/health and the webhook) depends on `current_user`, which asks Airflow's own
`airflow.api_fastapi.core_api.security.get_user` (the JWT from `Authorization: Bearer` or
the `_token` cookie, validated by the configured auth manager).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from siaga_ui.config import load_config

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """No valid Airflow session: pages redirect to Airflow's login, the API answers 401."""


class Forbidden(Exception):
    """A known user without the right; the message is for them (Bahasa Indonesia)."""


@dataclass(frozen=True)
class SiagaUser:
    name: str
    role: str  # humas | moderator
    airflow_role: str | None = None

    @property
    def can_act(self) -> bool:
        return self.role == "moderator"

    @property
    def role_label(self) -> str:
        return {"moderator": "Moderator", "humas": "Humas"}[self.role]


async def current_user(request: Request) -> SiagaUser:
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

    credentials = await bearer_scheme(request)
    try:
        user = await get_user(request, None, credentials)
    except HTTPException as exc:
        raise LoginRequired(str(exc.detail)) from None
    name = user.get_name()
    airflow_role = getattr(user, "role", None)
    role = load_config().role_for(name, airflow_role)
    if role is None:
        raise Forbidden(f"Akun {name} belum diberi peran di Kutim Siaga. Hubungi admin.")
    siaga_user = SiagaUser(name=name, role=role, airflow_role=airflow_role)
    request.state.siaga_user = siaga_user
    return siaga_user


async def moderator(user: Annotated[SiagaUser, Depends(current_user)]) -> SiagaUser:
    """Only moderators act; humas is refused before anything changes."""
    if not user.can_act:
        raise Forbidden("Peran Humas hanya dapat melihat. Tindakan ini khusus moderator.")
    return user


CurrentUser = Annotated[SiagaUser, Depends(current_user)]
Moderator = Annotated[SiagaUser, Depends(moderator)]


@lru_cache(maxsize=1)
def _secret() -> bytes:
    configured = os.environ.get("SIAGA_UI_SECRET")
    if not configured:
        from airflow.configuration import conf

        configured = conf.get("api_auth", "jwt_secret", fallback="") or conf.get("api", "secret_key")
    # A key of its own, derived so the JWT secret itself is never used for another purpose.
    return hmac.new(configured.encode(), b"siaga-ui-csrf", hashlib.sha256).digest()


def csrf_token(user: SiagaUser) -> str:
    return hmac.new(_secret(), f"csrf:{user.name}".encode(), hashlib.sha256).hexdigest()[:40]


def check_csrf(user: SiagaUser, presented: str | None) -> None:
    if not presented or not hmac.compare_digest(presented, csrf_token(user)):
        raise Forbidden(
            "Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu coba lagi."
        )


def check_api_csrf(request: Request, user: SiagaUser) -> None:
    """Bearer clients are not exposed to CSRF; a cookie-authenticated API write needs the header."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return
    check_csrf(user, request.headers.get(CSRF_HEADER))
