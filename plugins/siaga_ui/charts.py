"""Charts and the Kutim map as server-side SVG: nothing loaded from outside, no script.

Only presentation attributes (fill, stroke) are used, never `style`, so the strict
Content-Security-Policy holds. Every text that goes into the SVG is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from html import escape

from markupsafe import Markup

from siaga_ui.formatting import CATEGORY_LABELS, MONTHS, angka

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#bf8700", "#8250df", "#0a7ea4", "#cf222e", "#57606a")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def nice_ticks(peak: float) -> list[int]:
    """0 up to a round maximum (1, 2 or 5 times a power of ten) in at most six integer steps."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            top = factor * magnitude
            if top >= peak:
                step = max(1, top // 5) if top >= 5 else 1
                return list(range(0, top + 1, step))
        magnitude *= 10


def _link(href: str | None, inner: str, label: str) -> str:
    """An SVG link around a mark (the page's queue filtered to it), or the mark alone."""
    if not href:
        return inner
    return f'<a href="{_e(href)}" class="tautan-antrian" aria-label="{_e(label)}">{inner}</a>'


def trend_chart(
    days: list[dt.date],
    series: dict[str, list[int]],
    top: int = 6,
    width: int = 900,
    height: int = 260,
    point_href: Callable[[str, dt.date], str] | None = None,
) -> Markup:
    """Daily posts per category: one line per category (the `top` largest); each day with posts is a
    point linking to `point_href(category, day)` when given."""
    left, right, top_pad, bottom = 44, 230, 16, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    shown = list(series.items())[:top]
    ticks = nice_ticks(max([1, *(max(values) for _, values in shown)]))
    peak = ticks[-1]
    step = plot_w / max(1, len(days) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top_pad + plot_h - v / peak * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Tren harian per kategori" class="chart">'
    ]
    for tick in ticks:
        gy = y(tick)
        parts.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w}" y2="{gy:.1f}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#57606a">{angka(tick)}</text>'
        )
    label_every = max(1, math.ceil(len(days) / 7))
    for i, day in enumerate(days):
        if (len(days) - 1 - i) % label_every == 0:  # evenly spaced, ending on the last day
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="11" '
                f'fill="#57606a">{day.day} {MONTHS[day.month - 1]}</text>'
            )
    if not shown:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top_pad + plot_h / 2}" text-anchor="middle" '
            'fill="#57606a">Belum ada data</text>'
        )
    for n, (category, values) in enumerate(shown):
        color = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        label = CATEGORY_LABELS.get(category, category)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2">'
            f"<title>{_e(label)}: {angka(sum(values))} unggahan</title></polyline>"
        )
        for i, v in enumerate(values):
            if v and point_href:
                tip = f"{label}, {days[i].day} {MONTHS[days[i].month - 1]}: {angka(v)} unggahan"
                dot = (
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{color}" data-kategori="{_e(category)}" '
                    f'data-hari="{days[i].isoformat()}"><title>{_e(tip)}</title></circle>'
                )
                parts.append(_link(point_href(category, days[i]), dot, tip))
        ly = top_pad + 8 + n * 18
        parts.append(f'<rect x="{width - right + 12}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(
            f'<text x="{width - right + 28}" y="{ly + 1}" font-size="12" fill="#24292f">'
            f"{_e(label)} ({angka(sum(values))})</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    rows: list[dict],
    label_key: str,
    value_key: str,
    width: int = 520,
    bar_h: int = 18,
    title: str = "",
    href: Callable[[dict], str] | None = None,
) -> Markup:
    """Horizontal bars, largest first; a bar links to `href(row)` when given."""
    left, right = 130, 60
    height = max(40, len(rows) * (bar_h + 6) + 10)
    peak = max([1, *(r[value_key] or 0 for r in rows)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" class="chart">'
    ]
    if not rows:
        parts.append('<text x="10" y="24" fill="#57606a">Belum ada data</text>')
    for i, row in enumerate(rows):
        top = 6 + i * (bar_h + 6)
        value = row[value_key] or 0
        w = (width - left - right) * value / peak
        parts.append(
            f'<text x="{left - 6}" y="{top + bar_h - 5}" text-anchor="end" font-size="12" '
            f'fill="#24292f">{_e(row[label_key])}</text>'
        )
        bar = (
            f'<rect x="{left}" y="{top}" width="{max(w, 1):.1f}" height="{bar_h}" fill="#1f6feb" '
            f'data-label="{_e(row[label_key])}"><title>{_e(row[label_key])}: {angka(value)}</title></rect>'
        )
        parts.append(_link(href(row) if href else None, bar, f"{row[label_key]}: {angka(value)}"))
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{top + bar_h - 5}" font-size="12" fill="#57606a">{angka(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def kutim_map(
    regions: list,
    counts: dict[str, dict],
    width: int = 640,
    height: int = 440,
    href: Callable[[str], str] | None = None,
) -> Markup:
    """Kutai Timur from the official coordinates: desa as dots, kecamatan as circles sized by posts;
    a kecamatan with posts links to `href(name)` when given."""
    points = [r for r in regions if r.lat is not None and r.lon is not None and r.level != "kabupaten"]
    if not points:
        return Markup('<p class="muted">Koordinat wilayah tidak tersedia.</p>')
    lons = [r.lon for r in points]
    lats = [r.lat for r in points]
    pad = 36
    lon_min, lon_max, lat_min, lat_max = min(lons), max(lons), min(lats), max(lats)
    scale = min((width - 2 * pad) / max(lon_max - lon_min, 1e-6), (height - 2 * pad) / max(lat_max - lat_min, 1e-6))

    def xy(r) -> tuple[float, float]:
        return pad + (r.lon - lon_min) * scale, height - pad - (r.lat - lat_min) * scale

    peak = max([1, *(c.get("posts") or 0 for c in counts.values())])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Peta sebaran isu per kecamatan di Kutai Timur" class="chart map">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f6f8fa"/>',
    ]
    for r in points:
        if r.level != "kecamatan":
            x, y = xy(r)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="#8c959f"><title>{_e(r.name)}</title></circle>'
            )
    for r in points:
        if r.level != "kecamatan":
            continue
        x, y = xy(r)
        c = counts.get(r.name) or {}
        posts = c.get("posts") or 0
        radius = 4 + 22 * math.sqrt(posts / peak) if posts else 4
        fill = "#d1242f" if c.get("emergencies") else ("#1f6feb" if posts else "#afb8c1")
        tip = f"{r.name}: {angka(c.get('issues') or 0)} isu, {angka(posts)} unggahan"
        if c.get("emergencies"):
            tip += f", {angka(c['emergencies'])} darurat"
        circle = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" fill-opacity="0.55" '
            f'stroke="{fill}" data-kecamatan="{_e(r.name)}"><title>{_e(tip)}</title></circle>'
        )
        parts.append(_link(href(r.name) if href and posts else None, circle, tip))
        parts.append(
            f'<text x="{x:.1f}" y="{y - radius - 3:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#24292f">{_e(r.name)}</text>'
        )
    parts.append(
        f'<text x="{pad}" y="{height - 10}" font-size="11" fill="#57606a">Lingkaran: jumlah unggahan '
        "per kecamatan · merah: ada kejadian darurat · titik abu-abu: desa/kelurahan</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
