"""The HTML pages: queue, draft detail, viral issues, emergencies, LAPOR! tickets, audit.

Forms post back here with a CSRF token. A decision that cannot be written (warehouse busy,
version conflict, invalid value) re-renders the form with what the moderator typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from siaga_ui import views
from siaga_ui.auth import CurrentUser, Moderator, check_csrf
from siaga_ui.config import load_config
from siaga_ui.filters import FILTER_KEYS, page_number, parse_filters
from siaga_ui.regions import kecamatan_names, location_groups, region_index
from siaga_ui.views import render
from warehouse import WarehouseBusy, moderation

router = APIRouter(include_in_schema=False)
RESULT_MESSAGES = {
    "disimpan": "Perubahan disimpan.",
    "disetujui": "Draf disetujui dan akan dikirim ke SP4N-LAPOR!.",
    "ditolak": "Draf ditolak.",
    "digabung": "Isu digabungkan ke draf ini.",
    "dipisah": "Laporan terpilih dipisah dari isu asalnya: ini isu baru dengan drafnya sendiri.",
    "diteruskan": "Tercatat: diteruskan ke 112.",
    "bukan-darurat": "Tercatat: bukan darurat. Draf tetap di antrian sebagai pengaduan.",
    "balasan-disetujui": "Balasan disetujui; dikirim pada proses lapor_submit berikutnya.",
    "balasan-dilewati": "Balasan dilewati; tidak akan dikirim.",
}


def keeps_form_when_busy(handler):
    """A form handler whose warehouse stayed locked (at any step) answers with the form to resend,
    or, when its decision was already written (`_saved`) and only the page after it could not be
    read, says so and offers no resend."""

    @functools.wraps(handler)
    async def wrapper(*args, **kwargs):
        request: Request = kwargs["request"]
        try:
            return await handler(*args, **kwargs)
        except WarehouseBusy:
            headers = {"Retry-After": str(views.RETRY_AFTER_S)}
            if getattr(request.state, "siaga_saved", False):
                context = {"judul": "Tersimpan", "pesan": views.BUSY_SAVED_NOT_SHOWN}
                return render(request, "pesan.html", context, status_code=503, headers=headers)
            form = await request.form()  # Starlette keeps the parsed form: the same fields come back
            action = request.url.path[len(request.scope.get("root_path", "")) :]
            return _busy(request, form, action)

    return wrapper


def _saved(request: Request) -> None:
    """The decision is committed: a busy warehouse from here on must not say 'not saved'."""
    request.state.siaga_saved = True


def _busy(request: Request, form: Mapping[str, Any], action: str) -> Response:
    """The warehouse stayed locked: say so, and hand the moderator's form back to resubmit."""
    fields = [(k, v) for k, v in form.multi_items() if k != "csrf_token" and isinstance(v, str)]
    return render(
        request,
        "sibuk.html",
        {"pesan_sibuk": views.BUSY_NOT_SAVED, "action": action, "fields": fields},
        status_code=503,
        headers={"Retry-After": str(views.RETRY_AFTER_S)},
    )


@router.get("/")
def home(request: Request, user: CurrentUser) -> Response:
    target = "/antrian" if user.can_act else "/viral"
    return RedirectResponse(request.scope.get("root_path", "") + target, status_code=303)


def _queue_context(request: Request, params: Mapping[str, str]) -> dict[str, Any]:
    with moderation.reading():
        return _queue_data(params)


def _queue_data(params: Mapping[str, str]) -> dict[str, Any]:
    config = load_config()
    filters = parse_filters(params)
    page = page_number(params)
    result = moderation.list_drafts(filters, limit=config.page_size, offset=(page - 1) * config.page_size)
    options = moderation.filter_options()
    active = {k: params.get(k) for k in FILTER_KEYS if params.get(k)}
    return {
        "page": result,
        "filters": active,
        "halaman": page,
        "pages": max(1, -(-result.total // config.page_size)),
        "query": urlencode(active),
        "options": options,
        "kecamatan_list": sorted(set(result.counts.get("kecamatan", {})) | set(kecamatan_names())),
    }


def _bulk_message(params: Mapping[str, str]) -> str | None:
    hasil = params.get("hasil") or ""
    parts = hasil.split(":")
    if len(parts) != 3 or parts[0] not in ("setuju", "tolak") or not all(p.isdigit() for p in parts[1:]):
        return None
    verb = "disetujui" if parts[0] == "setuju" else "ditolak"
    message = f"{parts[1]} draf {verb}."
    if parts[2] != "0":
        message += f" {parts[2]} draf dilewati karena sudah diubah atau diputuskan orang lain."
    return message


@router.get("/antrian")
def queue_page(request: Request, user: CurrentUser) -> Response:
    params = dict(request.query_params)
    error = None
    try:
        parse_filters(params)
    except moderation.InvalidChange as exc:
        error = str(exc)
        params = {k: v for k, v in params.items() if k not in ("dari", "sampai")}
    context = _queue_context(request, params)
    context.update(pesan=_bulk_message(params), error=error)
    return render(request, "antrian.html", context)


def _selection(values: list[str]) -> list[tuple[str, int | None]]:
    selection = []
    for value in values:
        draft_id, _, version = value.rpartition(":")
        if draft_id and version.isdigit():
            selection.append((draft_id, int(version)))
        elif value:
            selection.append((value, None))
    return selection


@router.post("/antrian/massal")
@keeps_form_when_busy
async def bulk_decision(request: Request, user: Moderator) -> Response:
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    action = form.get("aksi") or ""
    selection = _selection(form.getlist("pilih"))
    back = form.get("kembali") or ""
    try:
        result = await run_in_threadpool(
            moderation.bulk_decide,
            selection,
            action,
            actor=user.name,
            role=user.role,
            reason=form.get("alasan"),
        )
    except moderation.ModerationError as exc:
        params = dict(request.query_params) | _parse_qs(back)
        context = await run_in_threadpool(_queue_context, request, params)
        context.update(
            error=str(exc), alasan=form.get("alasan") or "", terpilih={draft_id for draft_id, _ in selection}
        )
        return render(request, "antrian.html", context, status_code=422)
    _saved(request)
    if result["skipped"]:
        params = _parse_qs(back)
        context = await run_in_threadpool(_queue_context, request, params)
        context.update(skipped=result["skipped"], done=len(result["done"]), aksi=action)
        return render(request, "antrian.html", context, status_code=200)
    code = "setuju" if action == "approve" else "tolak"
    query = urlencode({**_parse_qs(back), "hasil": f"{code}:{len(result['done'])}:0"}, safe=":")
    return RedirectResponse(f"{request.scope.get('root_path', '')}/antrian?{query}", status_code=303)


def _parse_qs(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return {k: v for k, v in parse_qsl(query) if k in FILTER_KEYS}


def _detail_context(draft_id: str, unmasked: dict | None = None) -> dict[str, Any]:
    with moderation.reading():
        return _detail_data(draft_id, unmasked)


def _detail_data(draft_id: str, unmasked: dict | None) -> dict[str, Any]:
    draft = moderation.get_draft(draft_id)
    events, _ = moderation.audit_events(limit=20, draft_id=draft_id, with_total=False)
    return {
        "draft": draft,
        "form": draft,
        "events": events,
        "unmasked": unmasked,
        "locations": location_groups(),
        "opd_options": moderation.opd_options(),  # not the queue's filters: no other table read for them
        "categories": moderation.CATEGORIES,
        "classifications": moderation.CLASSIFICATIONS,
        "emergency": _draft_emergency(draft["issue_id"]),
        **_reply_context(draft_id),
    }


@router.get("/draf/{draft_id}")
def draft_page(draft_id: str, request: Request, user: CurrentUser) -> Response:
    context = _detail_context(draft_id)
    context["pesan"] = RESULT_MESSAGES.get(request.query_params.get("hasil", ""))
    return render(request, "draf.html", context)


def _form_changes(form: Mapping[str, Any]) -> dict[str, Any]:
    changes = {
        name: form.get(name)
        for name in ("judul", "isi", "kategori", "region_code", "opd", "klasifikasi")
        if name in form
    }
    changes["rahasia"] = form.get("rahasia") == "1"
    changes["anonim"] = form.get("anonim") == "1"
    return changes


@router.post("/draf/{draft_id}/simpan")
@keeps_form_when_busy
async def save_draft(draft_id: str, request: Request, user: Moderator) -> Response:
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    approve = form.get("aksi") == "setujui"
    changes = _form_changes(form)
    try:
        version = int(form.get("version") or 0)
        await run_in_threadpool(
            moderation.update_draft,
            draft_id,
            version,
            changes,
            actor=user.name,
            role=user.role,
            regions=region_index(),
            approve=approve,
        )
    except (moderation.ModerationError, ValueError) as exc:
        context = await run_in_threadpool(_detail_context, draft_id)
        typed = dict(context["draft"]) | {k: v for k, v in changes.items() if k != "version"}
        if isinstance(exc, moderation.VersionConflict):
            context["conflict"] = exc.current
            typed["version"] = exc.current["version"]  # saving again overwrites, knowingly
        else:
            typed["version"] = form.get("version")
        context.update(form=typed, error=str(exc))
        return render(
            request,
            "draf.html",
            context,
            status_code=409 if isinstance(exc, moderation.VersionConflict | moderation.AlreadyDecided) else 422,
        )
    result = "disetujui" if approve else "disimpan"
    return RedirectResponse(f"{request.scope.get('root_path', '')}/draf/{draft_id}?hasil={result}", status_code=303)


@router.post("/draf/{draft_id}/tolak")
@keeps_form_when_busy
async def reject_draft(draft_id: str, request: Request, user: Moderator) -> Response:
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    try:
        version = int(form.get("version") or 0) or None
        await run_in_threadpool(
            moderation.reject,
            draft_id,
            form.get("alasan") or "",
            actor=user.name,
            role=user.role,
            version=version,
        )
    except (moderation.ModerationError, ValueError) as exc:
        context = await run_in_threadpool(_detail_context, draft_id)
        context.update(reject_error=str(exc), alasan=form.get("alasan") or "")
        return render(request, "draf.html", context, status_code=422)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/draf/{draft_id}?hasil=ditolak", status_code=303)


@router.post("/draf/{draft_id}/gabung")
@keeps_form_when_busy
async def merge_into_draft(draft_id: str, request: Request, user: Moderator) -> Response:
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    try:
        draft = await run_in_threadpool(moderation.get_draft, draft_id)
        await run_in_threadpool(
            moderation.merge_issues, form.get("isu") or "", draft["issue_id"], actor=user.name, role=user.role
        )
    except moderation.ModerationError as exc:
        context = await run_in_threadpool(_detail_context, draft_id)
        context["error"] = str(exc)
        return render(request, "draf.html", context, status_code=409)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/draf/{draft_id}?hasil=digabung", status_code=303)


@router.post("/draf/{draft_id}/pisah")
@keeps_form_when_busy
async def split_from_draft(draft_id: str, request: Request, user: Moderator) -> Response:
    """Split: the ticked reports of this draft's issue (with their copies and replies) become a new issue."""
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    try:
        version = int(form.get("version") or 0) or None
        draft = await run_in_threadpool(moderation.get_draft, draft_id, 0)
        result = await run_in_threadpool(
            moderation.split_issue,
            draft["issue_id"],
            form.getlist("unggahan"),
            actor=user.name,
            role=user.role,
            version=version,
        )
    except (moderation.ModerationError, ValueError) as exc:
        if isinstance(exc, moderation.DraftNotFound):
            raise
        context = await run_in_threadpool(_detail_context, draft_id)
        context["split_error"] = str(exc)
        conflict = isinstance(exc, moderation.VersionConflict | moderation.AlreadyDecided)
        return render(request, "draf.html", context, status_code=409 if conflict else 422)
    _saved(request)
    target = result["new_draft"] or draft_id
    return RedirectResponse(f"{request.scope.get('root_path', '')}/draf/{target}?hasil=dipisah", status_code=303)


@router.post("/draf/{draft_id}/buka-data")
@keeps_form_when_busy
async def unmask_draft(draft_id: str, request: Request, user: Moderator) -> Response:
    """Shows this draft's personal data once, for this moderator; the act is audited before it shows."""
    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    # The page's data first: if the warehouse is busy, nothing was unmasked and nothing audited.
    context = await run_in_threadpool(_detail_context, draft_id)
    context["unmasked"] = await run_in_threadpool(moderation.unmask, draft_id, actor=user.name, role=user.role)
    return render(request, "draf.html", context)


def _dashboard_filters(params: Mapping[str, str]) -> tuple[Any, dict[str, str], str | None]:
    """The dashboard's filters from the URL, the ones set, and what was wrong (every issue then)."""
    from siaga_ui.filters import DASHBOARD_KEYS, parse_dashboard_filters
    from warehouse import dashboard

    try:
        filters = parse_dashboard_filters(params)
        active = {k: params[k].strip() for k in DASHBOARD_KEYS if (params.get(k) or "").strip()}
    except moderation.InvalidChange as exc:
        return dashboard.NO_FILTERS, {}, str(exc)
    return filters, active, None


def _viral_context(params: Mapping[str, str]) -> dict[str, Any]:
    """The Isu viral page's data under its filters (from the URL); a bad filter shows every issue
    with the message saying what was wrong (`error`)."""
    from warehouse import dashboard, lapor

    config = load_config()
    filters, active, error = _dashboard_filters(params)
    with moderation.reading():  # one warehouse connection for the page, the LAPOR! summary included
        viral = dashboard.viral_issues(window_hours=config.viral_window_hours, filters=filters)
        trend = dashboard.daily_trend(days=config.trend_days, filters=filters)
        breakdown = dashboard.kecamatan_breakdown(days=config.kecamatan_days, filters=filters)
        alerts = dashboard.alerts(limit=20)
        lapor_summary = lapor.sla_summary()
        options = moderation.filter_options()
    return {
        "viral": viral,
        "trend": trend,
        "breakdown": breakdown,
        "alerts": alerts,
        "lapor": lapor_summary,
        "filters": active,
        "query": urlencode(active),
        "error": error,
        "options": options,
        "kecamatan_list": sorted(set(kecamatan_names()) | {r["kecamatan"] for r in breakdown["rows"]}),
    }


def queue_link(root: str, active: Mapping[str, str], **narrower: str) -> str:
    """The queue (Antrian draf) under the dashboard's filters and what was clicked; the queue reads
    the same names (kategori, kecamatan, opd, sumber, dari, sampai)."""
    query = {**active, **{k: v for k, v in narrower.items() if v}}
    return f"{root}/antrian?{urlencode(query)}"


@router.get("/viral")
def viral_page(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import charts
    from siaga_ui.regions import all_regions
    from warehouse import lapor

    context = _viral_context(request.query_params)
    root, active = request.scope.get("root_path", ""), context["filters"]
    breakdown, trend = context["breakdown"], context["trend"]
    period = {"dari": breakdown["dari"].isoformat(), "sampai": breakdown["sampai"].isoformat()}

    def kecamatan_link(name: str) -> str:
        return queue_link(root, active | period, kecamatan=name)

    def day_link(category: str, day: dt.date) -> str:
        return queue_link(root, active, kategori=category, dari=day.isoformat(), sampai=day.isoformat())

    counts = {row["kecamatan"]: row for row in breakdown["rows"]}
    context.update(
        trend_svg=charts.trend_chart(trend["days"], trend["series"], point_href=day_link),
        map_svg=charts.kutim_map(all_regions(), counts, href=kecamatan_link),
        bar_svg=charts.bar_chart(
            breakdown["rows"][:18],
            "kecamatan",
            "posts",
            title="Unggahan per kecamatan",
            href=lambda row: kecamatan_link(row["kecamatan"]),
        ),
        stages=_sla_stages(),
        lapor_waiting=_without_ticket(context["lapor"]["per_state"], lapor.STATE_LABELS),
    )
    return render(request, "viral.html", context, status_code=422 if context["error"] else 200)


def _without_ticket(per_state: dict[str, int], labels: dict[str, str]) -> list[tuple[str, int]]:
    """Hand-overs that have no LAPOR! ticket yet, as (label, count) for the humas summary."""
    # The summary counts states; a draft LAPOR! refused is 'failed_permanent' like a broken send.
    labels = labels | {"failed_permanent": "Gagal atau dikembalikan ke moderator"}
    return [(labels.get(state, state), n) for state, n in sorted(per_state.items()) if state != "submitted"]


@router.get("/darurat")
def emergency_page(request: Request, user: CurrentUser) -> Response:
    context = _emergency_context(page_number(request.query_params))
    context["pesan"] = RESULT_MESSAGES.get(request.query_params.get("hasil", ""))
    return render(request, "darurat.html", context)


# --- the 112 hand-off (warehouse/emergencies.py) -----------------------------------------------


EMERGENCY_PAGE_SIZE = 50


def _emergency_context(page: int = 1) -> dict[str, Any]:
    """One page of emergencies, the longest waiting first; the counts are over all of them. Rendering
    every row's hand-off form (about 1,000 at 1M posts) cost most of the page's time (issue 17)."""
    from warehouse import emergencies

    with moderation.reading():
        rows = emergencies.list_emergencies()
    return {
        "rows": rows[(page - 1) * EMERGENCY_PAGE_SIZE : page * EMERGENCY_PAGE_SIZE],
        "total": len(rows),
        "halaman": page,
        "pages": max(1, -(-len(rows) // EMERGENCY_PAGE_SIZE)),
        "counts": emergencies.today_counts(rows),
    }


def _draft_emergency(issue_id: str) -> dict[str, Any] | None:
    """The hand-off of a draft's issue, when the issue is (or was marked) an emergency."""
    from warehouse import emergencies

    try:
        return emergencies.get_emergency(issue_id)
    except emergencies.EmergencyNotFound:
        return None


def _handed_at(value: str | None) -> dt.datetime | None:
    """A datetime-local field, typed in WITA, as naive UTC (the warehouse's time)."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value) - moderation.WITA
    except ValueError:
        raise moderation.InvalidChange(f"Waktu '{value}' tidak dapat dibaca; isi tanggal dan jam.") from None


@router.post("/darurat/{issue_id}/tandai")
@keeps_form_when_busy
async def mark_emergency(issue_id: str, request: Request, user: Moderator) -> Response:
    """Diteruskan ke 112 (reference or officer, time) or Bukan darurat (reason); also corrects either."""
    from warehouse import emergencies

    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    action = form.get("aksi") or ""
    back = form.get("kembali") or "darurat"
    if not re.fullmatch(r"darurat|draf/[A-Za-z0-9_.-]+", back):
        back = "darurat"  # only these two pages; never a redirect the form could choose
    try:
        version = int(form.get("version") or 0)
        await run_in_threadpool(
            emergencies.mark,
            issue_id,
            action,
            actor=user.name,
            role=user.role,
            version=version,
            reference=form.get("referensi"),
            reason=form.get("alasan"),
            handed_at=_handed_at(form.get("waktu")),
        )
    except (moderation.ModerationError, ValueError) as exc:
        if isinstance(exc, emergencies.EmergencyNotFound):
            raise
        conflict = isinstance(exc, moderation.VersionConflict)
        failed = {
            "issue_id": issue_id,
            "error": str(exc),
            "aksi": action,
            "referensi": form.get("referensi") or "",
            "waktu": form.get("waktu") or "",
            "alasan": form.get("alasan") or "",
            # After a conflict the form carries the current version: sending again overwrites, knowingly.
            "version": exc.current["version"] if conflict else form.get("version"),
        }
        status = 409 if conflict else 422
        if back.startswith("draf/"):
            context = await run_in_threadpool(_detail_context, back.removeprefix("draf/"))
            context["gagal"] = failed
            return render(request, "draf.html", context, status_code=status)
        context = await run_in_threadpool(_emergency_context)
        context["gagal"] = failed
        return render(request, "darurat.html", context, status_code=status)
    _saved(request)
    result = "diteruskan" if action == "handed_to_112" else "bukan-darurat"
    root = request.scope.get("root_path", "")
    if back.startswith("draf/"):
        return RedirectResponse(f"{root}/draf/{back.removeprefix('draf/')}?hasil={result}", status_code=303)
    return RedirectResponse(f"{root}/darurat?hasil={result}#darurat-{issue_id}", status_code=303)


LAPOR_PAGE_SIZE = 100


def _sla_stages() -> list[tuple[str, int]]:
    """(stage, working days) of LAPOR!'s three clocks, from the bridge's one SLA definition."""
    from extractors.lapor import sla

    return [(stage, days) for stage, days, _, _ in sla.STAGES]


@router.get("/lapor")
def lapor_page(request: Request, user: CurrentUser) -> Response:
    from warehouse import lapor

    page = page_number(request.query_params)
    # The bridge opens its own read connection; inside `reading()` that is one more handle on the
    # database this page already holds (DuckDB keeps one instance per file in a process), so the
    # page opens the warehouse once, takes its turn with the server's other requests and waits
    # within the UI's bound.
    with moderation.reading():
        tickets = lapor.tickets_with_sla()
    return render(
        request,
        "lapor.html",
        {
            "tickets": tickets[(page - 1) * LAPOR_PAGE_SIZE : page * LAPOR_PAGE_SIZE],
            "total": len(tickets),
            "overdue": sum(1 for t in tickets if t["overdue"]),
            "halaman": page,
            "pages": max(1, -(-len(tickets) // LAPOR_PAGE_SIZE)),
            "stages": _sla_stages(),
        },
    )


@router.get("/audit")
def audit_page(request: Request, user: CurrentUser) -> Response:
    params = request.query_params
    page = page_number(params)
    size = 100
    events, total = moderation.audit_events(
        limit=size,
        offset=(page - 1) * size,
        draft_id=params.get("draf") or None,
        actor=params.get("pelaku") or None,
    )
    return render(
        request,
        "audit.html",
        {
            "events": events,
            "total": total,
            "halaman": page,
            "pages": max(1, -(-total // size)),
            "draf": params.get("draf") or "",
            "pelaku": params.get("pelaku") or "",
        },
    )


# --- CSV downloads of every table: the page's rows under the page's filters, masked as the page
# masks them for the user's role (views.csv_response says why UTF-8 with BOM and ';'). ----------

CSV_ROW_CAP = 50_000  # a whole warehouse's queue fits; beyond this the download says it was cut


def _bad_filter(exc: Exception) -> Response:
    return Response(f"{exc}\n", status_code=422, media_type="text/plain; charset=utf-8")


def _wita(value: dt.datetime | None) -> str:
    from siaga_ui.formatting import waktu

    return waktu(value) if value else ""


@router.get("/viral/isu.csv")
def viral_issues_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt
    from warehouse import dashboard

    # the file's table alone: the page's trend, kecamatan table and LAPOR! summary are not read for it
    filters, _active, error = _dashboard_filters(request.query_params)
    if error:
        return _bad_filter(error)
    with moderation.reading():
        viral = dashboard.viral_issues(window_hours=load_config().viral_window_hours, filters=filters)
    rows = [
        [
            fmt.mask_text(i["judul"]) if i["draft_id"] else f"Isu {i['issue_id']}",
            fmt.CATEGORY_LABELS.get(i["category"], i["category"] or "-"),
            i["desa"] or i["kecamatan"] or "-",
            i["recent"],
            i["previous"],
            i["growth"],
            i["recent_posts"],
            "ya" if i["is_emergency"] else "tidak",
        ]
        for i in viral["issues"]
    ]
    hours = viral["window_hours"]
    header = ["Isu", "Kategori", "Lokasi", f"Keterlibatan {hours} jam", "Sebelumnya", "Pertumbuhan"]
    return views.csv_response("isu-viral.csv", [*header, "Unggahan baru", "Darurat"], rows)


@router.get("/viral/kecamatan.csv")
def kecamatan_csv(request: Request, user: CurrentUser) -> Response:
    from warehouse import dashboard

    filters, _active, error = _dashboard_filters(request.query_params)
    if error:
        return _bad_filter(error)
    with moderation.reading():
        b = dashboard.kecamatan_breakdown(days=load_config().kecamatan_days, filters=filters)
    rows = [[r["kecamatan"], r["issues"], r["posts"], r["emergencies"]] for r in b["rows"]]
    name = f"unggahan-per-kecamatan-{b['dari'].isoformat()}-{b['sampai'].isoformat()}.csv"
    return views.csv_response(name, ["Kecamatan", "Isu", "Unggahan", "Darurat"], rows)


@router.get("/viral/lapor.csv")
def lapor_summary_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt
    from warehouse import lapor

    with moderation.reading():
        summary = lapor.sla_summary()
    rows = []
    for stage, days in _sla_stages():
        n = summary["per_stage"].get(stage, {})
        rows.append([fmt.LAPOR_STAGE_LABELS.get(stage, stage), days, n.get("open") or 0, n.get("overdue") or 0])
    return views.csv_response(
        "ringkasan-tiket-lapor.csv", ["Tahap", "Batas (hari kerja)", "Terbuka", "Lewat tenggat"], rows
    )


@router.get("/antrian.csv")
def queue_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt

    params = dict(request.query_params)
    try:
        filters = parse_filters(params)
    except moderation.InvalidChange as exc:
        return _bad_filter(exc)
    with moderation.reading():
        drafts = moderation.export_drafts(filters, limit=CSV_ROW_CAP)
    rows = [
        [
            fmt.mask_text(d["judul"]),
            fmt.CATEGORY_LABELS.get(d["kategori"], d["kategori"] or "-"),
            d["lokasi"] or d["kecamatan"] or "-",
            d["opd"] or "-",
            ", ".join(fmt.PLATFORM_LABELS.get(p, p) for p in d["sources"]),
            d["report_count"],
            d["reach"],
            _wita(d["last_seen"]),
            "ya" if d["is_emergency"] else "tidak",
            d["draft_id"],
        ]
        for d in drafts
    ]
    header = ["Judul", "Kategori", "Lokasi", "OPD", "Sumber", "Laporan", "Jangkauan", "Terakhir (WITA)"]
    return views.csv_response("antrian-draf.csv", [*header, "Darurat", "ID draf"], rows)


@router.get("/lapor.csv")
def lapor_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt
    from warehouse import lapor

    with moderation.reading():
        tickets = lapor.tickets_with_sla()
    rows = []
    for t in tickets:
        follow = t.get("followups") or []
        rows.append(
            [
                fmt.mask_text(t["judul"] or t["draft_id"]),
                fmt.CATEGORY_LABELS.get(t.get("kategori"), t.get("kategori") or "-"),
                t.get("opd") or "-",
                t.get("tracking_id") or "",
                t.get("reference") or "",
                t.get("state_label") or "",
                fmt.LAPOR_STATUS_LABELS.get(t.get("lapor_status"), t.get("lapor_status") or ""),
                fmt.LAPOR_STAGE_LABELS.get(t.get("stage"), t.get("stage") or ""),
                fmt.tanggal(t["deadline"]) if t.get("deadline") else "",
                t.get("working_days_left"),
                "ya" if t.get("overdue") else "tidak",
                fmt.mask_people(t.get("return_reason")) if t.get("return_reason") else "",
                fmt.mask_people(follow[-1]["text"]) if follow else "",
                t["draft_id"],
            ]
        )
    header = ["Laporan", "Kategori", "OPD", "Nomor pelacakan", "Kode referensi", "Status", "Status LAPOR!"]
    header += ["Tahap", "Tenggat", "Sisa hari kerja", "Lewat tenggat", "Alasan dikembalikan"]
    return views.csv_response("tiket-lapor.csv", [*header, "Tindak lanjut terakhir", "ID draf"], rows)


def _audit_note(e: dict[str, Any]) -> str:
    """The page's Keterangan column as plain text."""
    from siaga_ui import formatting as fmt

    d = e.get("detail") or {}
    parts = []
    if d.get("reason"):
        parts.append(f"Alasan: {fmt.mask_people(d['reason'])}")
    if d.get("fields"):
        parts.append("Kolom: " + ", ".join(d["fields"]))
    if d.get("target_issue"):
        parts.append(f"ke isu {d['target_issue']}")
    if d.get("posts"):
        parts.append(f"({len(d['posts'])} unggahan)")
    if d.get("bulk"):
        parts.append("(massal)")
    if d.get("tracking_id"):
        parts.append(f"Nomor LAPOR! {d['tracking_id']}")
    if d.get("reference"):
        parts.append(f"Referensi 112: {d['reference']}")
    return " ".join(parts)


@router.get("/audit.csv")
def audit_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt

    params = request.query_params
    events, _ = moderation.audit_events(
        limit=CSV_ROW_CAP, draft_id=params.get("draf") or None, actor=params.get("pelaku") or None, with_total=False
    )
    rows = [
        [
            _wita(e["occurred_at"]),
            e["actor"],
            e.get("role") or "-",
            fmt.ACTION_LABELS.get(e["action"], e["action"]),
            e.get("draft_id") or "-",
            _audit_note(e),
        ]
        for e in events
    ]
    return views.csv_response("audit.csv", ["Waktu (WITA)", "Pelaku", "Peran", "Tindakan", "Draf", "Keterangan"], rows)


@router.get("/darurat.csv")
def emergency_csv(request: Request, user: CurrentUser) -> Response:
    from siaga_ui import formatting as fmt
    from warehouse import emergencies

    mask = fmt.mask_text if user.can_act else fmt.mask_for_humas  # as the page: humas never reads a link
    with moderation.reading():
        every = emergencies.list_emergencies()  # the download keeps every row; the page shows 50 at a time
    rows = [
        [
            mask(e["judul"]) if e.get("draft_id") else f"Isu {e['issue_id']}",
            fmt.CATEGORY_LABELS.get(e["category"], e["category"] or "-"),
            e.get("lokasi") or e.get("desa") or e.get("kecamatan") or "-",
            _wita(e["first_seen"]),
            e["post_count"],
            fmt.HANDOFF_LABELS.get(e["handoff_status"], e["handoff_status"]),
            e.get("reference") or "",
            fmt.mask_people(e.get("reason")) if e.get("reason") else "",
            fmt.STATUS_LABELS.get(e.get("draft_status"), e.get("draft_status") or "-"),
        ]
        for e in every
    ]
    header = ["Apa", "Kategori", "Di mana", "Kapan (WITA)", "Unggahan", "Penerusan ke 112"]
    return views.csv_response("darurat.csv", [*header, "Referensi/petugas", "Alasan", "Draf"], rows)


# --- Balasan: replies to citizens with the LAPOR! tracking ID (warehouse/replies.py) ------------------
REPLY_LABELS = {
    "pending": "Menunggu persetujuan",
    "approved": "Disetujui, menunggu dikirim",
    "sending": "Sedang dikirim",
    "sent": "Terkirim",
    "failed": "Gagal",
    "skipped": "Dilewati",
    "uncertain": "Tidak pasti terkirim: periksa",
}
REPLY_TABS = (
    ("pending", "Menunggu"),
    ("uncertain", "Perlu diperiksa"),
    ("approved", "Disetujui"),
    ("sent", "Terkirim"),
    ("failed", "Gagal"),
    ("skipped", "Dilewati"),
    ("semua", "Semua"),
)


def _reply_context(draft_id: str) -> dict[str, Any]:
    """The draft page's replies (inside the page's read connection)."""
    from warehouse import replies

    return {"balasan": replies.list_replies(draft_id=draft_id)["items"], "reply_labels": REPLY_LABELS}


def _replies_context(status: str | None) -> dict[str, Any]:
    from warehouse import replies

    with moderation.reading():
        page = replies.list_replies(status=status, limit=300)
    return {
        "items": page["items"],
        "total": page["total"],
        "counts": page["counts"],
        "status_filter": status,
        "reply_labels": REPLY_LABELS,
        "reply_tabs": REPLY_TABS,
    }


@router.get("/balasan")
def replies_page(request: Request, user: CurrentUser) -> Response:
    from warehouse.replies import STATUSES

    wanted = request.query_params.get("status") or "pending"
    status = wanted if wanted in STATUSES else None
    context = _replies_context(status)
    context["pesan"] = RESULT_MESSAGES.get(request.query_params.get("hasil", ""))
    return render(request, "balasan.html", context)


@router.post("/balasan/{reply_id}/{aksi}")
@keeps_form_when_busy
async def decide_reply(reply_id: str, aksi: str, request: Request, user: Moderator) -> Response:
    """Setujui (with the text as edited) or Lewati one reply, from the Balasan page or the draft page."""
    from warehouse import replies

    form = await request.form()
    check_csrf(user, form.get("csrf_token"))
    back = form.get("kembali") or "balasan"
    if not re.fullmatch(r"balasan(\?status=[a-z]+)?|draf/[A-Za-z0-9_.-]+", back):
        back = "balasan"  # only these pages; never a redirect the form could choose
    try:
        if aksi not in ("setujui", "lewati"):
            raise moderation.InvalidChange(f"Tindakan '{aksi}' tidak dikenal.")
        version = int(form.get("version") or 0) or None
        if aksi == "setujui":
            await run_in_threadpool(
                replies.approve, reply_id, actor=user.name, role=user.role, version=version, text=form.get("teks")
            )
        else:
            await run_in_threadpool(
                replies.skip, reply_id, actor=user.name, role=user.role, version=version, reason=form.get("alasan")
            )
    except (moderation.ModerationError, ValueError) as exc:
        if isinstance(exc, moderation.DraftNotFound):
            raise
        conflict = isinstance(exc, moderation.VersionConflict)
        failed = {
            "id": reply_id,
            "error": str(exc),
            "teks": form.get("teks") or "",
            "alasan": form.get("alasan") or "",
            # after a conflict the form carries the current version: sending again overwrites, knowingly
            "version": exc.current["version"] if conflict else form.get("version"),
        }
        code = 409 if isinstance(exc, moderation.VersionConflict | moderation.AlreadyDecided) else 422
        if back.startswith("draf/"):
            context = await run_in_threadpool(_detail_context, back.removeprefix("draf/"))
            context["balasan_gagal"] = failed
            return render(request, "draf.html", context, status_code=code)
        context = await run_in_threadpool(_replies_context, None)
        context["balasan_gagal"] = failed
        return render(request, "balasan.html", context, status_code=code)
    _saved(request)
    result = "balasan-disetujui" if aksi == "setujui" else "balasan-dilewati"
    root = request.scope.get("root_path", "")
    path, _, query = back.partition("?")
    query = f"{query}&hasil={result}" if query else f"hasil={result}"
    return RedirectResponse(f"{root}/{path}?{query}#balasan-{reply_id}", status_code=303)
