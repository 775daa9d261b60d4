"""Charts as inline SVG, drawn on the server: no chart library, no JavaScript, no CDN.

Every chart comes with its numbers as a table (the template shows it under <details>), so the
figures stay readable without the picture and by screen readers.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#a61b1b", "#d4a017", "#2f6f9f", "#3d8b5a", "#8a5a9f", "#c2571a", "#5b6470",
           "#1f7a7a", "#b0413e", "#7a8b2f"]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar(rows: list[tuple[str, float]], *, width: int = 560, height: int = 220,
        color: str = PALETTE[0], title: str = "") -> SafeString:
    if not rows:
        return mark_safe("")  # noqa: S308 - empty string
    peak = max((v for _, v in rows), default=0) or 1
    left, bottom, top = 8, 40, 16
    inner_w, inner_h = width - 2 * left, height - bottom - top
    slot = inner_w / len(rows)
    parts = [f'<svg viewBox="0 0 {width} {height}" class="chart" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(rows):
        h = inner_h * value / peak
        x = left + i * slot + slot * 0.15
        y = top + inner_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{color}" rx="2"><title>{escape(label)}: {_fmt(value)}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" font-size="11" '
                     f'text-anchor="middle">{_fmt(value)}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16:.1f}" '
                     f'font-size="11" text-anchor="middle">{escape(label[:8])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def donut(rows: list[tuple[str, float]], *, size: int = 220, title: str = "") -> SafeString:
    total = sum(v for _, v in rows)
    if not rows or total <= 0:
        return mark_safe("")  # noqa: S308 - empty string
    cx = cy = size / 2
    r_out, r_in = size / 2 - 4, size / 4
    angle = -math.pi / 2
    parts = [f'<svg viewBox="0 0 {size + 160} {size}" class="chart" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(rows):
        share = value / total
        end = angle + 2 * math.pi * share
        large = 1 if share > 0.5 else 0
        color = PALETTE[i % len(PALETTE)]
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{(r_out + r_in) / 2}" fill="none" '
                         f'stroke="{color}" stroke-width="{r_out - r_in}"/>')
        else:
            x1, y1 = cx + r_out * math.cos(angle), cy + r_out * math.sin(angle)
            x2, y2 = cx + r_out * math.cos(end), cy + r_out * math.sin(end)
            x3, y3 = cx + r_in * math.cos(end), cy + r_in * math.sin(end)
            x4, y4 = cx + r_in * math.cos(angle), cy + r_in * math.sin(angle)
            parts.append(
                f'<path d="M{x1:.1f},{y1:.1f} A{r_out},{r_out} 0 {large} 1 {x2:.1f},{y2:.1f} '
                f'L{x3:.1f},{y3:.1f} A{r_in},{r_in} 0 {large} 0 {x4:.1f},{y4:.1f} Z" '
                f'fill="{color}"><title>{escape(label)}: {_fmt(value)}</title></path>')
        parts.append(f'<rect x="{size + 10}" y="{14 + i * 20}" width="12" height="12" '
                     f'fill="{color}"/><text x="{size + 28}" y="{24 + i * 20}" font-size="12">'
                     f'{escape(label[:10])} {round(100 * share)}%</text>')
        angle = end
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
