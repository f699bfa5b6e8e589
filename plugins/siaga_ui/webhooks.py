"""The WhatsApp Cloud API webhook: public, authenticated by Meta's X-Hub-Signature-256 instead of
a user (and so exempt from login and CSRF). The work is in extractors.whatsapp.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from extractors.credentials import MissingCredentials

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", include_in_schema=False)


def _not_ready() -> Response:
    return PlainTextResponse("WhatsApp webhook belum tersedia di instalasi ini.", status_code=503)


def _not_configured(exc: Exception) -> Response:
    log.warning("WhatsApp webhook called but not configured: %s", exc)
    return PlainTextResponse("WhatsApp webhook belum dikonfigurasi (koneksi siaga_whatsapp).", status_code=503)


def _whatsapp():
    try:
        from extractors import whatsapp
    except ImportError:
        return None
    return whatsapp


@router.get("/whatsapp")
def verify_whatsapp(request: Request) -> Response:
    """Meta's subscription handshake: echo hub.challenge when hub.verify_token matches."""
    whatsapp = _whatsapp()
    if whatsapp is None:
        return _not_ready()
    params = request.query_params
    try:
        challenge = whatsapp.verify_subscription(
            params.get("hub.mode"), params.get("hub.verify_token"), params.get("hub.challenge")
        )
    except MissingCredentials as exc:
        return _not_configured(exc)
    if challenge is None:
        return PlainTextResponse("forbidden", status_code=403)
    return PlainTextResponse(challenge)


async def _bounded_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to exceed `limit` bytes (never reading more than that)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                return None  # refused on the header alone: not one byte of the body is read
        except ValueError:
            return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():  # chunked uploads have no Content-Length: count as they come
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/whatsapp")
async def receive_whatsapp(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    whatsapp = _whatsapp()
    if whatsapp is None:
        return _not_ready()
    limit = whatsapp.max_body_bytes()
    body = await _bounded_body(request, limit)
    if body is None:
        log.warning("WhatsApp webhook refused a body over %d bytes", limit)
        # Connection: close, so the server does not read the rest of the body to reuse the connection.
        return JSONResponse(
            {"detail": f"body too large (limit {limit} bytes)"}, status_code=413, headers={"Connection": "close"}
        )
    try:
        # A plain file append (extractors.whatsapp locks the inbox file itself): no warehouse lock.
        count = await run_in_threadpool(whatsapp.receive_webhook, body, request.headers.get("x-hub-signature-256"))
    except whatsapp.InvalidSignature:
        return JSONResponse({"detail": "invalid signature"}, status_code=403)
    except whatsapp.BodyTooLarge:
        return JSONResponse({"detail": f"body too large (limit {limit} bytes)"}, status_code=413)
    except MissingCredentials as exc:
        return _not_configured(exc)
    return JSONResponse({"received": count})
