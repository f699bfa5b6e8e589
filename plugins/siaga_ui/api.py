"""The JSON API under /siaga/api (OpenAPI at /siaga/openapi.json). Same roles as the pages:
humas reads, moderators act; a refused action answers 403 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.security import HTTPBearer
from pydantic import AfterValidator, BaseModel, Field

from siaga_ui import formatting as fmt
from siaga_ui.auth import CurrentUser, Moderator, SiagaUser, check_api_csrf
from siaga_ui.filters import FIRST_DATE, LAST_DATE, parse_filters
from siaga_ui.regions import region_index
from warehouse import WarehouseBusy, moderation

# Documents the Airflow JWT in the OpenAPI document; the check itself is in auth.current_user.
airflow_jwt = HTTPBearer(
    auto_error=False,
    scheme_name="AirflowJWT",
    description="Token Airflow dari `POST /auth/token` (atau cookie `_token` setelah masuk).",
)
router = APIRouter(prefix="/api", tags=["siaga"], dependencies=[Depends(airflow_jwt)])
HIDDEN_DRAFT_FIELDS = ("isi_unmasked",)
Limit = Annotated[int, Query(ge=1, le=500)]
# Bounded so that OFFSET stays inside DuckDB's BIGINT (an offset of 2^63 was a 500).
OFFSET_MAX = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX)]


def utc_in_range(moment: dt.datetime) -> dt.datetime:
    """A moment as naive UTC, within the filters' date range (year 1 or 9999 cannot become UTC)."""
    try:
        utc = moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
    except OverflowError:
        utc = None
    if utc is None or not FIRST_DATE <= utc.date() <= LAST_DATE:
        raise ValueError(f"waktu di luar rentang {FIRST_DATE.isoformat()} s.d. {LAST_DATE.isoformat()}")
    return utc


Moment = Annotated[dt.datetime, AfterValidator(utc_in_range)]


# --- Error bodies, documented on every operation that can answer them --------------------------


class ErrorMessage(BaseModel):
    message: str = Field(description="Apa yang salah dan apa yang harus dilakukan")


class ApiError(BaseModel):
    """The body of a 404: `{"detail": {"message": ...}}`; `{"detail": "Not Found"}` when the path matched no
    route at all (an id with a line break never reaches /siaga: the server mounting it answers)."""

    detail: ErrorMessage | str


class PlainError(BaseModel):
    """The body of a 401 or 403: `{"detail": "..."}`."""

    detail: str


class RefusedDetail(BaseModel):
    message: str
    current_version: int | None = Field(None, description="Versi sekarang (hanya pada 409)")
    current: dict[str, Any] | None = Field(None, description="Keadaan sekarang (hanya pada 409)")


class Refused(BaseModel):
    """A refused request or change: `{"detail": {"message": ..., "current_version"?: ...}}`."""

    detail: RefusedDetail


class Busy(BaseModel):
    detail: str
    saved: bool = Field(False, description="Selalu false: tidak ada yang tersimpan")


class ValidationErrorItem(BaseModel):
    loc: list[str | int] = Field(description='Letak isian yang salah, mis. ["query", "limit"]')
    msg: str
    type: str


class InvalidInput(BaseModel):
    """FastAPI's HTTPValidationError: a parameter or body field of the wrong type or range."""

    detail: list[ValidationErrorItem]


_401 = {401: {"model": PlainError, "description": "Belum masuk: token Airflow tidak ada atau tidak berlaku"}}
_403_READ = {403: {"model": PlainError, "description": "Pengguna tanpa peran Kutim Siaga"}}
_403_WRITE = {403: {"model": PlainError, "description": "Bukan moderator (humas hanya melihat), atau token CSRF salah"}}
_422 = {
    422: {
        # Two shapes: FastAPI's parameter/body check (a list) and the project's own check (a message).
        "model": InvalidInput | Refused,
        "description": "Isian tidak sah: `detail` berisi daftar kesalahan isian (tipe, rentang), atau "
        "`detail.message` bila isinya ditolak (mis. tanggal di luar rentang, alasan kosong)",
    }
}
_503 = {503: {"model": Busy, "description": "Gudang data sibuk; tidak ada yang tersimpan, coba lagi (Retry-After)"}}
# Without a 422 of its own, an operation keeps FastAPI's documented HTTPValidationError for its 422.
READ_ERRORS: dict[int | str, dict[str, Any]] = {**_401, **_403_READ, **_503}
FILTER_ERRORS: dict[int | str, dict[str, Any]] = {**READ_ERRORS, **_422}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": PlainError, "description": "Badan permintaan bukan JSON UTF-8 yang dapat dibaca"},
    **_401,
    **_403_WRITE,
    409: {
        "model": Refused,
        "description": "Versi lama (sudah diubah orang lain; `current_version` berisi versi sekarang) "
        "atau sudah diputuskan",
    },
    **_422,
    **_503,
}


def _not_found(what: str) -> dict[int | str, dict[str, Any]]:
    return {404: {"model": ApiError, "description": f"{what} tidak ditemukan"}}


class DraftPatch(BaseModel):
    version: int = Field(description="drafts.version seen by the editor (optimistic locking)")
    judul: str | None = None
    isi: str | None = None
    kategori: str | None = None
    region_code: str | None = Field(None, description="Kemendagri code from the official Kutim list")
    opd: str | None = None
    klasifikasi: str | None = None
    rahasia: bool | None = None
    anonim: bool | None = None


class ApproveBody(BaseModel):
    version: int | None = None


class RejectBody(BaseModel):
    reason: str = Field(min_length=1)
    version: int | None = None


# Free text people wrote into a draft's record (moderators' reasons, LAPOR!'s return note).
PEOPLES_TEXT_FIELDS = ("reject_reason", "lapor_return_reason", "new_evidence")


def _public_draft(draft: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    """A draft as the API shows it: personal data masked, the unmasked text never.

    Everyone gets people's free text with phone numbers, NIK, e-mail and @handles masked; humas also
    gets the draft's title and text that way and no link to a post (its path names the author).
    """
    out = {k: v for k, v in draft.items() if k not in HIDDEN_DRAFT_FIELDS}
    for name in PEOPLES_TEXT_FIELDS:
        if out.get(name):
            out[name] = fmt.mask_people(out[name])
    if not user.can_act:
        for name in ("judul", "isi"):
            if out.get(name):
                out[name] = fmt.mask_for_humas(out[name])
    if "evidence" in out:
        out["evidence"] = [_public_post(post, user) for post in out["evidence"]]
    return out


def _public_post(post: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    shown = {**post, "text": fmt.mask_people(post["text"]), "author_name": fmt.mask_name(post["author_name"])}
    if not user.can_act:
        # A post's link and its platform id both lead to its author's profile in one click.
        shown["url"] = None
        shown["url_host"] = fmt.link_host(post.get("url"))
        shown["post_key"] = fmt.opaque_post_key(post["post_key"])
    return shown


def _refused(exc: moderation.ModerationError):
    from fastapi import HTTPException

    status = 409 if isinstance(exc, moderation.VersionConflict | moderation.AlreadyDecided) else 422
    if isinstance(exc, moderation.DraftNotFound):
        status = 404
    detail: dict[str, Any] = {"message": str(exc)}
    if isinstance(exc, moderation.VersionConflict):
        detail["current_version"] = exc.current["version"]
    return HTTPException(status_code=status, detail=detail)


@router.get("/drafts", summary="Antrian draf (filter sebagai parameter)", responses=FILTER_ERRORS)
def list_drafts(
    request: Request,
    user: CurrentUser,
    status: str = "pending",
    kategori: str | None = None,
    kecamatan: str | None = None,
    opd: str | None = None,
    darurat: Annotated[str | None, Query(description="ya/tidak")] = None,
    sumber: Annotated[str | None, Query(description="platform: x, facebook, instagram, whatsapp")] = None,
    dari: Annotated[str | None, Query(description="YYYY-MM-DD (WITA)")] = None,
    sampai: Annotated[str | None, Query(description="YYYY-MM-DD (WITA)")] = None,
    cari: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    try:
        filters = parse_filters(request.query_params)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    page = moderation.list_drafts(filters, limit=limit, offset=offset)
    return {"total": page.total, "items": [_public_draft(d, user) for d in page.items], "counts": page.counts}


@router.get(
    "/drafts/{draft_id}",
    summary="Satu draf dengan bukti unggahan (data pribadi disamarkan)",
    responses={**_not_found("Draf"), **READ_ERRORS},
)
def get_draft(draft_id: str, user: CurrentUser) -> dict[str, Any]:
    try:
        return _public_draft(moderation.get_draft(draft_id), user)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc


@router.patch(
    "/drafts/{draft_id}",
    summary="Ubah draf (wajib menyertakan version)",
    responses={**_not_found("Draf"), **WRITE_ERRORS},
)
def patch_draft(draft_id: str, body: DraftPatch, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    # An explicit null clears only the OPD; other fields keep their value.
    changes = {
        k: v for k, v in body.model_dump(exclude_unset=True, exclude={"version"}).items() if v is not None or k == "opd"
    }
    try:
        saved = moderation.update_draft(
            draft_id, body.version, changes, actor=user.name, role=user.role, regions=region_index()
        )
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    try:
        return _public_draft(moderation.get_draft(draft_id), user)
    except WarehouseBusy:
        # The edit is committed; only the evidence could not be read back. Answer with what was saved
        # rather than a 503 that would say nothing was written.
        return _public_draft(saved, user)


@router.post("/drafts/{draft_id}/approve", summary="Setujui draf", responses={**_not_found("Draf"), **WRITE_ERRORS})
def approve_draft(draft_id: str, request: Request, user: Moderator, body: ApproveBody | None = None) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        return _public_draft(
            moderation.approve(draft_id, actor=user.name, role=user.role, version=body.version if body else None),
            user,
        )
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc


@router.post(
    "/drafts/{draft_id}/reject",
    summary="Tolak draf dengan alasan",
    responses={**_not_found("Draf"), **WRITE_ERRORS},
)
def reject_draft(draft_id: str, body: RejectBody, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        return _public_draft(
            moderation.reject(draft_id, body.reason, actor=user.name, role=user.role, version=body.version),
            user,
        )
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc


# --- What the queue and draft pages do beyond one decision: bulk, merge, unmask -----------------


class BulkItem(BaseModel):
    draft_id: str = Field(min_length=1)
    version: int | None = Field(None, description="drafts.version yang dilihat; versi lama dilewati")


class BulkBody(BaseModel):
    action: Literal["approve", "reject"]
    drafts: list[BulkItem] = Field(min_length=1, max_length=500)
    reason: str | None = Field(None, description="Wajib untuk reject (min. 5 karakter)")


class BulkSkipped(BaseModel):
    draft_id: str
    reason: str = Field(description="Mengapa dilewati: tidak ada, sudah diputuskan, atau versi lama")


class BulkDone(BaseModel):
    draft_id: str


class BulkResult(BaseModel):
    action: Literal["approve", "reject"]
    done: list[BulkDone]
    skipped: list[BulkSkipped]


@router.post(
    "/drafts/bulk",
    summary="Setujui atau tolak banyak draf sekaligus (satu transaksi; yang berubah sementara itu dilewati)",
    response_model=BulkResult,
    responses=WRITE_ERRORS,
)
def bulk_decide(body: BulkBody, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        result = moderation.bulk_decide(
            [(item.draft_id, item.version) for item in body.drafts],
            body.action,
            actor=user.name,
            role=user.role,
            reason=body.reason,
        )
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    skipped = [{**item, "reason": fmt.mask_people(item["reason"])} for item in result["skipped"]]
    return {"action": body.action, "done": result["done"], "skipped": skipped}


class MergeBody(BaseModel):
    issue_id: str = Field(min_length=1, description="Isu (terbuka) yang digabung ke isu draf ini")
    version: int | None = Field(None, description="drafts.version yang dilihat; versi lama dijawab 409")


class MergeResult(BaseModel):
    source_issue: str
    target_issue: str
    target_draft: str | None
    draft: dict[str, Any] = Field(description="Draf ini setelah penggabungan")


@router.post(
    "/drafts/{draft_id}/merge",
    summary="Gabungkan isu lain ke isu draf ini (unggahan, jangkauan dan drafnya ikut)",
    response_model=MergeResult,
    responses={**_not_found("Draf"), **WRITE_ERRORS},
)
def merge_into_draft(draft_id: str, body: MergeBody, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        # The version check and the merge take one turn at the warehouse: no other request of this
        # server can change the draft in between.
        with moderation.exclusive():
            draft = moderation.get_draft(draft_id, evidence_limit=0)
            if body.version is not None and body.version != draft["version"]:
                raise moderation.VersionConflict(
                    f"Draf {draft_id} sudah diubah orang lain (versi Anda {body.version}, "
                    f"versi sekarang {draft['version']}). Muat ulang lalu gabungkan lagi.",
                    draft,
                )
            merged = moderation.merge_issues(body.issue_id, draft["issue_id"], actor=user.name, role=user.role)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    return {**merged, "draft": _public_draft(moderation.get_draft(draft_id), user)}


class SplitBody(BaseModel):
    post_ids: list[str] = Field(
        min_length=1, description="post_key unggahan isu ini ('platform:id') yang dipindah ke isu baru"
    )
    version: int | None = Field(None, description="drafts.version draf isu ini yang dilihat; versi lama dijawab 409")


class SplitResult(BaseModel):
    source_issue: str
    source_draft: str | None
    new_issue: str
    new_draft: str | None
    moved: list[str] = Field(description="Unggahan yang pindah: yang dipilih beserta salinan dan balasannya")


@router.post(
    "/issues/{issue_id}/split",
    summary="Pisahkan unggahan terpilih dari isu ini ke isu baru dengan drafnya sendiri (kebalikan gabung)",
    response_model=SplitResult,
    responses={**_not_found("Isu"), **WRITE_ERRORS},
)
def split_issue(issue_id: str, body: SplitBody, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        return moderation.split_issue(issue_id, body.post_ids, actor=user.name, role=user.role, version=body.version)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc


class UnmaskedPost(BaseModel):
    post_key: str
    author_name: str | None
    text: str | None


class Unmasked(BaseModel):
    draft_id: str
    isi: str | None = Field(description="Isi draf tanpa penyamaran")
    posts: dict[str, UnmaskedPost] = Field(description="Unggahan bukti tanpa penyamaran, menurut post_key")


@router.post(
    "/drafts/{draft_id}/unmask",
    summary="Buka data pribadi draf (khusus moderator; dicatat di audit sebelum ditampilkan)",
    response_model=Unmasked,
    responses={**_not_found("Draf"), **_401, **_403_WRITE, **_503},
)
def unmask_draft(draft_id: str, request: Request, user: Moderator) -> dict[str, Any]:
    check_api_csrf(request, user)
    try:
        return {"draft_id": draft_id, **moderation.unmask(draft_id, actor=user.name, role=user.role)}
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc


@router.get("/issues", summary="Isu, jangkauan terbesar dulu", responses=READ_ERRORS)
def list_issues(user: CurrentUser, status: str = "open", limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    items = moderation.list_issues(status=status, limit=limit, offset=offset)
    return {"items": [{k: v for k, v in item.items() if k != "signature"} for item in items]}


@router.get("/alerts", summary="Peringatan lonjakan, viral dan darurat", responses=READ_ERRORS)
def list_alerts(user: CurrentUser, kind: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    from warehouse import dashboard

    return {"items": [_public_alert(alert, user) for alert in dashboard.alerts(limit=limit, kind=kind)]}


def _public_alert(alert: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    """An alert as the API shows it: its summary and quoted draft masked, its evidence like a draft's."""
    mask = fmt.mask_people if user.can_act else fmt.mask_for_humas
    out = {**alert, "message": mask(alert.get("message"))}
    detail = alert.get("detail")
    if isinstance(detail, dict):
        detail = dict(detail)
        if isinstance(detail.get("what"), dict):
            detail["what"] = {k: mask(v) if k in ("judul", "isi") and v else v for k, v in detail["what"].items()}
        if detail.get("callback_summary"):
            detail["callback_summary"] = mask(detail["callback_summary"])
        if isinstance(detail.get("evidence"), list) and not user.can_act:
            detail["evidence"] = [
                {
                    **post,
                    "url": None,
                    "url_host": fmt.link_host(post.get("url")),
                    "post_key": fmt.opaque_post_key(str(post.get("post_key") or "")),
                }
                for post in detail["evidence"]
                if isinstance(post, dict)
            ]
        out["detail"] = detail
    return out


# --- Emergencies: the 112 hand-off (warehouse/emergencies.py) ----------------------------------


class HandoffBody(BaseModel):
    action: Literal["handed_to_112", "dismissed"] = Field(
        description="handed_to_112: diteruskan ke call center 112; dismissed: bukan darurat"
    )
    reference: str | None = Field(
        None, description="Wajib untuk handed_to_112: nomor referensi call center 112 atau nama petugas"
    )
    reason: str | None = Field(None, description="Wajib untuk dismissed: alasan bukan darurat (min. 5 karakter)")
    handed_at: Moment | None = Field(
        None,
        description="Waktu diterima 112 (ISO 8601; tanpa zona = UTC). Kosong: sekarang, atau waktu "
        "yang sudah tercatat bila hanya referensi yang dikoreksi.",
    )
    version: int | None = Field(
        None, description="Versi yang dilihat moderator (0 selama menunggu); versi lama dijawab 409"
    )


class EmergencyItem(BaseModel, extra="allow"):
    issue_id: str
    handoff_status: Literal["pending", "handed_to_112", "dismissed"]
    waiting_minutes: int | None = Field(
        description="Menit menunggu: sampai sekarang bila masih menunggu, sampai diteruskan/ditandai bila sudah"
    )
    version: int
    reference: str | None = None
    handed_at: dt.datetime | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


class EmergencyCounts(BaseModel):
    waiting: int = Field(description="Masih menunggu")
    handed_to_112: int = Field(description="Diteruskan ke 112 hari ini (WITA)")
    dismissed: int = Field(description="Ditandai bukan darurat hari ini (WITA)")


class EmergencyList(BaseModel):
    items: list[EmergencyItem]
    total: int = Field(description="Jumlah yang cocok dengan filter (items dibatasi `limit`)")
    counts: EmergencyCounts


def _public_emergency(item: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    mask = fmt.mask_people if user.can_act else fmt.mask_for_humas
    out = dict(item)
    for name in ("judul", "alert_message", "reason"):
        if out.get(name):
            out[name] = mask(out[name])
    return out


def _parse_since(value: str | None) -> dt.datetime | None:
    """ISO 8601 (without a zone: UTC), or a bare date: the start of that WITA day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return utc_in_range(dt.datetime.combine(dt.date.fromisoformat(value), dt.time()) - moderation.WITA)
        return utc_in_range(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (ValueError, OverflowError):
        raise moderation.InvalidChange(
            f"since '{value}' bukan tanggal/waktu ISO 8601 antara {FIRST_DATE.isoformat()} dan "
            f"{LAST_DATE.isoformat()} (contoh 2026-11-22 atau 2026-11-22T04:00:00Z)."
        ) from None


def _handoff_refused(exc: moderation.ModerationError, user: SiagaUser):
    http = _refused(exc)
    if isinstance(exc, moderation.VersionConflict):
        http.detail["current"] = jsonable_encoder(_public_emergency(exc.current, user))
    return http


@router.get(
    "/emergencies",
    summary="Kejadian darurat dan status penerusan ke 112, yang paling lama menunggu dulu",
    response_model=EmergencyList,
    responses=FILTER_ERRORS,
)
def list_emergencies(
    user: CurrentUser,
    state: Annotated[
        Literal["pending", "handed_to_112", "dismissed"] | None, Query(description="Status penerusan")
    ] = None,
    since: Annotated[
        str | None,
        Query(description="Ada unggahan atau keputusan sejak (ISO 8601, tanpa zona = UTC; YYYY-MM-DD = hari WITA)"),
    ] = None,
    limit: Limit = 100,
) -> dict[str, Any]:
    from warehouse import emergencies

    try:
        moment = _parse_since(since)
        with moderation.reading():
            every = emergencies.list_emergencies()
            matching = emergencies.list_emergencies(state=state, since=moment)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    return {
        "items": [_public_emergency(item, user) for item in matching[:limit]],
        "total": len(matching),
        "counts": emergencies.today_counts(every),
    }


@router.post(
    "/emergencies/{issue_id}/handoff",
    summary="Tandai Diteruskan ke 112 (dengan referensi) atau Bukan darurat (dengan alasan); koreksi boleh",
    response_model=EmergencyItem,
    responses={**_not_found("Isu darurat"), **WRITE_ERRORS},
)
def handoff_emergency(issue_id: str, body: HandoffBody, request: Request, user: Moderator) -> dict[str, Any]:
    from warehouse import emergencies

    check_api_csrf(request, user)
    try:
        item = emergencies.mark(
            issue_id,
            body.action,
            actor=user.name,
            role=user.role,
            version=body.version,
            reference=body.reference,
            reason=body.reason,
            handed_at=body.handed_at,
        )
    except moderation.ModerationError as exc:
        raise _handoff_refused(exc, user) from exc
    return _public_emergency(item, user)


# --- LAPOR! tickets and the monthly monev report (issue 13) ------------------------------------------
ReportFormat = Literal["json", "xlsx", "pdf", "csv"]
MONTH_QUERY_PATTERN = r"^[12][0-9]{3}-(0[1-9]|1[0-2])$"  # warehouse.report.MONTH_PATTERN (not imported at parse)
REPORT_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def _public_ticket(ticket: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    """A LAPOR! hand-over as the API shows it, with its SLA clocks; people's text masked like a draft's."""
    mask = fmt.mask_people if user.can_act else fmt.mask_for_humas
    return {
        "tracking_id": ticket["tracking_id"],
        "draft_id": ticket["draft_id"],
        "issue_id": ticket["issue_id"],
        "state": ticket["state"],
        "state_label": ticket["state_label"],
        "stage": ticket["stage"],
        "deadline": ticket["deadline"],
        "working_days_left": ticket["working_days_left"],
        "overdue": ticket["overdue"],
        "ever_overdue": ticket["ever_overdue"],
        "opd": ticket["opd"],
        "judul": mask(ticket["judul"]) if ticket["judul"] else ticket["judul"],
        "kategori": ticket["kategori"],
        "lokasi": ticket["lokasi"],
        "lapor_status": ticket["lapor_status"],
        "lapor_url": ticket["lapor_url"],
        "reference": ticket["reference"],
        "submitted_at": ticket["submitted_at"],
        "attempts": ticket["attempts"],
        "last_error": fmt.mask_people(ticket["last_error"]) if ticket["last_error"] else None,
        "return_reason": fmt.mask_people(ticket["return_reason"]) if ticket["return_reason"] else None,
        "export_batch": ticket["export_batch"],
        "stages": ticket["stages"],
        "followups": [{**f, "text": mask(f["text"]) if f.get("text") else f.get("text")} for f in ticket["followups"]],
    }


def _all_tickets() -> list[dict[str, Any]]:
    from warehouse import lapor

    with moderation.reading():  # the UI's turn on the warehouse, as the Tiket LAPOR! page takes it
        return lapor.tickets_with_sla()


@router.get("/tickets", summary="Tiket SP4N-LAPOR! dengan batas waktunya (terlambat dulu)", responses=READ_ERRORS)
def list_tickets(
    user: CurrentUser,
    state: Annotated[
        str | None, Query(description="approved, sending, submitted, failed_retryable, failed_permanent, exported")
    ] = None,
    stage: Annotated[str | None, Query(description="verifikasi, tindak_lanjut, penutupan, selesai")] = None,
    opd: str | None = None,
    overdue: Annotated[bool | None, Query(description="hanya yang terlambat (true) atau tidak (false)")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    tickets = [
        t
        for t in _all_tickets()
        if (state is None or t["state"] == state)
        and (stage is None or t["stage"] == stage)
        and (opd is None or t["opd"] == opd)
        and (overdue is None or bool(t["overdue"]) == overdue)
    ]
    return {
        "total": len(tickets),
        "overdue": sum(1 for t in tickets if t["overdue"]),
        "items": [_public_ticket(t, user) for t in tickets[offset : offset + limit]],
    }


@router.get(
    "/tickets/{tracking_id}",
    summary="Satu tiket SP4N-LAPOR! menurut nomor pelacakannya",
    responses={**_not_found("Nomor pelacakan"), **READ_ERRORS},
)
def get_ticket(tracking_id: str, user: CurrentUser) -> dict[str, Any]:
    from fastapi import HTTPException

    for ticket in _all_tickets():
        if ticket["tracking_id"] is not None and ticket["tracking_id"] == tracking_id:
            return _public_ticket(ticket, user)
    raise HTTPException(
        status_code=404,
        detail={"message": f"Tiket dengan nomor pelacakan {tracking_id!r} tidak ada; lihat GET /siaga/api/tickets."},
    )


def _report_for(figures: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    """The report's figures with draft titles masked as the drafts API masks them for this user."""
    mask = fmt.mask_people if user.can_act else fmt.mask_for_humas

    def masked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**row, "judul": mask(row["judul"]) if row.get("judul") else row.get("judul")} for row in rows]

    emergencies = figures["emergencies"]
    return {
        **figures,
        "top_issues": masked(figures["top_issues"]),
        "emergencies": {**emergencies, "items": masked(emergencies["items"])},
    }


@router.get(
    "/reports/monev",
    summary="Laporan monev bulanan: angka-angkanya (JSON) atau berkasnya (XLSX, PDF, CSV)",
    responses={
        200: {
            "description": "Angka laporan (format=json) atau berkas laporan (format=xlsx|pdf|csv)",
            "content": {media: {} for media in REPORT_MEDIA_TYPES.values()},
        },
        **READ_ERRORS,
    },
)
def monev_report(
    user: CurrentUser,
    month: Annotated[
        str | None,
        Query(pattern=MONTH_QUERY_PATTERN, description="YYYY-MM (bulan WITA); bawaan: bulan ini"),
    ] = None,
    format: Annotated[ReportFormat, Query(description="json (bawaan), xlsx, pdf, csv")] = "json",
) -> Any:
    from fastapi.responses import JSONResponse, Response

    from warehouse import report
    from warehouse.report_writers import csv_bytes, pdf_bytes, xlsx_bytes

    first = report.parse_month(month) if month else report.current_month()
    with moderation.reading():
        figures = _report_for(report.monthly_figures(first), user)
    if format == "json":
        # the figures are plain JSON already (warehouse.report): skip FastAPI's walk over them (~30 ms at 1M posts)
        return JSONResponse(figures)
    data = {"xlsx": xlsx_bytes, "pdf": pdf_bytes, "csv": csv_bytes}[format](figures)
    return Response(
        data,
        media_type=REPORT_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="monev-{figures["month"]}.{format}"'},
    )


# --- Replies to citizens (issue 14: warehouse/replies.py) -------------------------------------------
ReplyStatus = Literal["pending", "approved", "sending", "sent", "failed", "skipped", "uncertain"]


class ReplyItem(BaseModel, extra="allow"):
    id: str
    draft_id: str
    platform: str
    in_reply_to: str = Field(description="`platform:platform_post_id` unggahan yang dibalas (humas: disamarkan)")
    text: str = Field(description="Teks balasan (tanpa data pribadi)")
    status: ReplyStatus
    version: int = Field(description="Versi balasan (optimistic locking, seperti draf)")
    tracking_id: str = Field(description="Nomor pelacakan SP4N-LAPOR! tiket ini")
    kind: Literal["forwarded", "followup"] = Field(description="forwarded: balasan pertama; followup: kabar status")
    reason: str | None = Field(None, description="Mengapa dilewati, gagal atau tidak pasti")


class ReplyCounts(BaseModel):
    pending: int
    approved: int
    sending: int
    sent: int
    failed: int
    skipped: int
    uncertain: int


class ReplyList(BaseModel):
    items: list[ReplyItem]
    total: int = Field(description="Jumlah yang cocok dengan filter (items dibatasi `limit`)")
    counts: ReplyCounts = Field(description="Jumlah per status (dengan filter draft_id, tanpa filter status)")


class ReplyApproveBody(BaseModel):
    text: str | None = Field(None, description="Teks baru; disimpan (dan dicatat di audit) sebelum disetujui")
    version: int | None = Field(None, description="Versi yang dilihat moderator; versi lama dijawab 409")


class ReplySkipBody(BaseModel):
    reason: str | None = Field(None, max_length=500, description="Mengapa tidak dikirim (boleh kosong)")
    version: int | None = Field(None, description="Versi yang dilihat moderator; versi lama dijawab 409")


REPLY_FIELDS = (
    "id",
    "draft_id",
    "issue_id",
    "platform",
    "in_reply_to",
    "text",
    "status",
    "reason",
    "version",
    "tracking_id",
    "kind",
    "ticket_status",
    "attempts",
    "sent_via",
    "platform_reply_id",
    "auto_approved",
    "moderator_edited",
    "decided_by",
    "decided_at",
    "sent_at",
    "created_at",
    "updated_at",
)


def _public_reply(reply: dict[str, Any], user: SiagaUser) -> dict[str, Any]:
    """A reply as the API shows it: humas gets the post it answers as an opaque key (its id leads to
    the author) and no platform reply id; the text holds no personal data, masked anyway."""
    out = {name: reply.get(name) for name in REPLY_FIELDS}
    if out.get("reason"):
        out["reason"] = fmt.mask_people(out["reason"])
    if not user.can_act:
        out["in_reply_to"] = fmt.opaque_post_key(out["in_reply_to"])
        out["text"] = fmt.mask_for_humas(out["text"])
        out["platform_reply_id"] = None
    return out


def _reply_refused(exc: moderation.ModerationError, user: SiagaUser):
    http = _refused(exc)
    if isinstance(exc, moderation.VersionConflict):
        http.detail["current"] = jsonable_encoder(_public_reply(exc.current, user))
    return http


@router.get(
    "/replies",
    summary="Balasan ke warga (nomor tiket LAPOR!), terbaru dulu",
    response_model=ReplyList,
    responses=FILTER_ERRORS,
)
def list_replies(
    user: CurrentUser,
    status: Annotated[ReplyStatus | None, Query(description="Status balasan")] = None,
    draft_id: Annotated[str | None, Query(description="Hanya balasan draf ini")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    from warehouse import replies

    try:
        page = replies.list_replies(status=status, draft_id=draft_id, limit=limit, offset=offset)
    except moderation.ModerationError as exc:
        raise _refused(exc) from exc
    return {**page, "items": [_public_reply(item, user) for item in page["items"]]}


@router.post(
    "/replies/{reply_id}/approve",
    summary="Setujui balasan (boleh mengubah teksnya dulu); dikirim pada proses berikutnya",
    response_model=ReplyItem,
    responses={**_not_found("Balasan"), **WRITE_ERRORS},
)
def approve_reply(
    reply_id: str, request: Request, user: Moderator, body: ReplyApproveBody | None = None
) -> dict[str, Any]:
    from warehouse import replies

    check_api_csrf(request, user)
    body = body or ReplyApproveBody()
    try:
        saved = replies.approve(reply_id, actor=user.name, role=user.role, version=body.version, text=body.text)
    except moderation.ModerationError as exc:
        raise _reply_refused(exc, user) from exc
    return _public_reply(saved, user)


@router.post(
    "/replies/{reply_id}/skip",
    summary="Lewati balasan: tidak akan dikirim",
    response_model=ReplyItem,
    responses={**_not_found("Balasan"), **WRITE_ERRORS},
)
def skip_reply(reply_id: str, request: Request, user: Moderator, body: ReplySkipBody | None = None) -> dict[str, Any]:
    from warehouse import replies

    check_api_csrf(request, user)
    body = body or ReplySkipBody()
    try:
        saved = replies.skip(reply_id, actor=user.name, role=user.role, version=body.version, reason=body.reason)
    except moderation.ModerationError as exc:
        raise _reply_refused(exc, user) from exc
    return _public_reply(saved, user)
