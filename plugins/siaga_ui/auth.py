"""Who is asking: the logged-in Airflow user, mapped to a Siaga role, and CSRF for forms.

Airflow 3 mounts plugin apps without authenticating them, so every route here (but
/health and the webhook) depends on `current_user`, which asks Airflow's own
`airflow.api_fastapi.core_api.security.get_user` (the JWT from `Authorization: Bearer` or
the `_token` cookie, validated by the configured auth manager).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from core.env import setting
from siaga_ui.config import load_config

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
# A form's token lives as long as its Airflow session (the JWT it was made for) and at most this
# long: a page left open overnight asks for a reload instead of acting on yesterday's token.
CSRF_MAX_AGE_S = 12 * 3600


class LoginRequired(Exception):
    """No valid Airflow session: pages redirect to Airflow's login, the API answers 401."""


class Forbidden(Exception):
    """A known user without the right; the message is for them (Bahasa Indonesia)."""


@dataclass(frozen=True)
class SiagaUser:
    name: str
    role: str  # humas | moderator
    airflow_role: str | None = None
    # Which Airflow session (a digest of its JWT) made this request, and whether the JWT came in an
    # explicit `Authorization: Bearer` header (no ambient cookie, so no CSRF to fear).
    session: str = ""
    via_bearer: bool = False

    @property
    def can_act(self) -> bool:
        return self.role == "moderator"

    @property
    def role_label(self) -> str:
        return {"moderator": "Moderator", "humas": "Humas"}[self.role]


async def current_user(request: Request) -> SiagaUser:
    from airflow.api_fastapi.auth.managers.base_auth_manager import COOKIE_NAME_JWT_TOKEN
    from airflow.api_fastapi.core_api.security import bearer_scheme, get_user

    credentials = await bearer_scheme(request)
    try:
        user = await get_user(request, None, credentials)
    except HTTPException as exc:
        raise LoginRequired(str(exc.detail)) from None
    # The same choice Airflow's get_user made: a non-empty bearer credential wins, else the cookie.
    # (`Authorization: Bearer ` with nothing after it yields no credentials: the cookie decided.)
    via_bearer = bool(credentials and credentials.scheme.lower() == "bearer" and credentials.credentials)
    token = credentials.credentials if via_bearer else request.cookies.get(COOKIE_NAME_JWT_TOKEN, "")
    name = user.get_name()
    airflow_role = getattr(user, "role", None)
    role = load_config().role_for(name, airflow_role)
    if role is None:
        raise Forbidden(f"Akun {name} belum diberi peran di Kutim Siaga. Hubungi admin.")
    siaga_user = SiagaUser(
        name=name, role=role, airflow_role=airflow_role, session=session_id(token), via_bearer=via_bearer
    )
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
    secret = setting("ui_secret")
    configured = secret.get_secret_value() if secret else None
    if not configured:
        from airflow.configuration import conf

        configured = conf.get("api_auth", "jwt_secret", fallback="") or conf.get("api", "secret_key")
    # A key of its own, derived so the JWT secret itself is never used for another purpose.
    return hmac.new(configured.encode(), b"siaga-ui-csrf", hashlib.sha256).digest()


def session_id(jwt: str | None) -> str:
    """A digest of the Airflow JWT: new at every login, dead at logout (Airflow revokes the JWT)."""
    return hashlib.sha256(jwt.encode()).hexdigest()[:32] if jwt else ""


def _csrf_mac(user: SiagaUser, issued: int) -> str:
    message = f"csrf:{user.name}:{user.session}:{issued}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()[:40]


def csrf_token(user: SiagaUser, now: float | None = None) -> str:
    """`<issued>.<mac>`: bound to the user and their session, valid for CSRF_MAX_AGE_S."""
    issued = int(time.time() if now is None else now)
    return f"{issued}.{_csrf_mac(user, issued)}"


def csrf_is_valid(user: SiagaUser, presented: str | None, now: float | None = None) -> bool:
    if not presented or not user.session:
        return False
    issued_text, _, mac = presented.partition(".")
    if not issued_text.isdigit() or not mac:
        return False
    issued = int(issued_text)
    age = (time.time() if now is None else now) - issued
    if not -60 <= age <= CSRF_MAX_AGE_S:  # a minute of clock skew between API server workers
        return False
    return hmac.compare_digest(mac, _csrf_mac(user, issued))


def check_csrf(user: SiagaUser, presented: str | None) -> None:
    if not csrf_is_valid(user, presented):
        raise Forbidden("Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu coba lagi.")


def check_api_csrf(request: Request, user: SiagaUser) -> None:
    """A client that sent its JWT as a bearer header is not exposed to CSRF (a browser never adds
    that header by itself); a write authenticated by the session cookie needs the header token."""
    if user.via_bearer:
        return
    check_csrf(user, request.headers.get(CSRF_HEADER))
