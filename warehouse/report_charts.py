"""The monev report's charts as PNG pictures (Pillow): daily trend, categories, and the kecamatan map.

Drawn at twice the size they are printed, so they stay sharp on an A4 page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

SCALE = 2
INK = (33, 37, 41)
MUTED = (134, 142, 150)
GRID = (222, 226, 230)
BAR = (31, 111, 139)
ACCENT = (214, 69, 65)
BACKDROP = (206, 212, 218)


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size * SCALE)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _canvas(width: int, height: int, title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    draw.text((8 * SCALE, 6 * SCALE), title, fill=INK, font=_font(13))
    return image, draw


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> str:
    """The text, shortened with '...' to fit `width` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "...", font=font) > width:
        text = text[:-1]
    return text + "..."


def trend_chart(days: Sequence[str], values: Sequence[int], title: str) -> bytes:
    """Posts per day as columns, with the day of the month under every fifth one."""
    width, height = 760, 230
    image, draw = _canvas(width, height, title)
    left, right, top, bottom = 44 * SCALE, (width - 12) * SCALE, 30 * SCALE, (height - 26) * SCALE
    peak = max(max(values, default=0), 1)
    small = _font(9)
    for step in range(5):  # gridlines with their counts
        y = bottom - (bottom - top) * step / 4
        draw.line([(left, y), (right, y)], fill=GRID, width=SCALE)
        label = f"{round(peak * step / 4):,}".replace(",", ".")
        draw.text((left - 6 * SCALE, y), label, fill=MUTED, font=small, anchor="rm")
    slot = (right - left) / max(len(values), 1)
    for n, (day, value) in enumerate(zip(days, values, strict=True)):
        x0 = left + n * slot + slot * 0.15
        x1 = left + (n + 1) * slot - slot * 0.15
        if value:
            draw.rectangle([x0, bottom - (bottom - top) * value / peak, x1, bottom], fill=BAR)
        if n % 5 == 0 or n == len(values) - 1:
            draw.text(((x0 + x1) / 2, bottom + 5 * SCALE), day[-2:], fill=MUTED, font=small, anchor="mt")
    return _png(image)


def bar_chart(labels: Sequence[str], values: Sequence[int], title: str, limit: int = 14) -> bytes:
    """Horizontal bars, largest first, each with its figure."""
    pairs = list(zip(labels, values, strict=True))[:limit]
    width, row = 760, 20
    height = 40 + row * max(len(pairs), 1)
    image, draw = _canvas(width, height, title)
    font = _font(10)
    label_w, left, right = 230 * SCALE, 240 * SCALE, (width - 50) * SCALE
    peak = max((v for _, v in pairs), default=0) or 1
    for n, (label, value) in enumerate(pairs):
        y = (32 + n * row) * SCALE
        mid = y + row * SCALE / 2
        draw.text((8 * SCALE, mid), _fit(draw, str(label), font, label_w), fill=INK, font=font, anchor="lm")
        x1 = left + (right - left) * value / peak
        if value:
            draw.rectangle([left, y + 3 * SCALE, x1, y + (row - 3) * SCALE], fill=BAR)
        draw.text((x1 + 5 * SCALE, mid), f"{value:,}".replace(",", "."), fill=INK, font=font, anchor="lm")
    return _png(image)


def kecamatan_map(
    backdrop: Sequence[tuple[float, float]],
    points: Sequence[tuple[str, float, float, int]],
    title: str,
) -> bytes:
    """Kutim as its desa (grey dots) with a circle per kecamatan sized by its issues, labelled."""
    width, height = 760, 520
    image, draw = _canvas(width, height, title)
    coords = list(backdrop) + [(lat, lon) for _, lat, lon, _ in points]
    if not coords:
        return _png(image)
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    pad = 0.08
    south, north = min(lats) - pad, max(lats) + pad
    west, east = min(lons) - pad, max(lons) + pad
    left, right, top, bottom = 20 * SCALE, (width - 20) * SCALE, 34 * SCALE, (height - 16) * SCALE
    # one scale for both axes (near the equator a degree is the same distance both ways)
    per_degree = min((right - left) / (east - west), (bottom - top) / (north - south))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return left + (lon - west) * per_degree, top + (north - lat) * per_degree

    for lat, lon in backdrop:
        x, y = xy(lat, lon)
        draw.ellipse([x - 2 * SCALE, y - 2 * SCALE, x + 2 * SCALE, y + 2 * SCALE], fill=BACKDROP)
    peak = max((n for *_, n in points), default=0) or 1
    font = _font(9)
    for name, lat, lon, n in sorted(points, key=lambda p: -p[3]):
        x, y = xy(lat, lon)
        if n:
            radius = (4 + 18 * (n / peak) ** 0.5) * SCALE
            draw.ellipse(
                [x - radius, y - radius, x + radius, y + radius], fill=(*ACCENT, 255), outline="white", width=SCALE
            )
            draw.text((x + radius + 3 * SCALE, y), f"{name} ({n})", fill=INK, font=font, anchor="lm")
        else:
            draw.ellipse([x - 3 * SCALE, y - 3 * SCALE, x + 3 * SCALE, y + 3 * SCALE], outline=MUTED, width=SCALE)
    return _png(image)
