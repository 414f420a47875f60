"""Charts and maps as SVG text, drawn on the server (no script, nothing fetched): a sorted bar
chart, lines over time, and proportional symbols at places' coordinates."""
from __future__ import annotations

import math
from html import escape

from pipelines.web import fmt, geo

FONT = "font-family=\"system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif\""
BAR = "#a3201b"
PALETTE = ("#a3201b", "#1f5fa8", "#2e7d32", "#8e44ad", "#c2611f", "#00796b", "#6d4c41", "#37474f")


def _attr(value) -> str:
    return escape(str(value), quote=True)


def bars(rows: list[tuple[str, float]], title: str, unit: str = "", css_class: str = "chart") -> str:
    """Horizontal bars, largest first: rows of (label, value)."""
    rows = sorted(((label, v) for label, v in rows if v is not None), key=lambda r: (-r[1], r[0]))
    label_w, bar_w, row_h, top = 190, 420, 24, 34
    width = label_w + bar_w + 110
    height = top + row_h * max(1, len(rows)) + 12
    vmax = max((v for _, v in rows), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="13">',
           f"<title>{escape(title)}</title>",
           f'<text x="8" y="20" font-weight="bold" font-size="14">{escape(title)}</text>']
    for i, (label, v) in enumerate(rows):
        y = top + i * row_h
        w = max(1.0, bar_w * v / vmax) if v > 0 else 0
        out.append(f'<g class="bar" data-label="{_attr(label)}" data-value="{v}">'
                   f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR}">'
                   f"<title>{escape(label)}: {fmt.number(v)}{escape(unit)}</title></rect>"
                   f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{fmt.number(v)}{escape(unit)}</text></g>')
    if not rows:
        out.append(f'<text x="8" y="{top + 16}">Không có số liệu.</text>')
    out.append("</svg>")
    return "".join(out)


def columns(rows: list[tuple[str, float]], title: str, css_class: str = "chart") -> str:
    """Vertical bars in the given order (e.g. citations by year)."""
    col_w, left, top, plot_h = 44, 40, 34, 180
    width = left + col_w * max(1, len(rows)) + 20
    height = top + plot_h + 30
    vmax = max((v for _, v in rows), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<text x="8" y="20" font-weight="bold" font-size="14">{escape(title)}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#555"/>']
    for i, (label, v) in enumerate(rows):
        h = plot_h * v / vmax
        x = left + i * col_w + 6
        out.append(f'<g class="bar" data-label="{_attr(label)}" data-value="{v}">'
                   f'<rect x="{x}" y="{top + plot_h - h:.1f}" width="{col_w - 12}" height="{h:.1f}" fill="{BAR}">'
                   f"<title>{escape(str(label))}: {fmt.number(v)}</title></rect>"
                   f'<text x="{x + (col_w - 12) / 2}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle">{fmt.number(v)}</text>'
                   f'<text x="{x + (col_w - 12) / 2}" y="{top + plot_h + 16}" text-anchor="middle">{escape(str(label))}</text></g>')
    out.append("</svg>")
    return "".join(out)


def lines(series: dict[str, list[tuple[str, float]]], title: str, css_class: str = "chart") -> str:
    """One line per label over periods (x: the periods present, in order)."""
    periods = sorted({p for pts in series.values() for p, _ in pts})
    left, top, plot_w, plot_h, legend_w = 70, 34, 480, 260, 200
    width, height = left + plot_w + legend_w, top + plot_h + 40
    values = [v for pts in series.values() for _, v in pts]
    vmax = max(values, default=0) or 1
    x_of = {p: left + (plot_w * i / max(1, len(periods) - 1) if len(periods) > 1 else plot_w / 2)
            for i, p in enumerate(periods)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<text x="8" y="20" font-weight="bold" font-size="14">{escape(title)}</text>',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>',
           f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{fmt.number(vmax)}</text>',
           f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    for p in periods:
        out.append(f'<text x="{x_of[p]:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{escape(p)}</text>')
    for i, (label, pts) in enumerate(sorted(series.items())):
        color = PALETTE[i % len(PALETTE)]
        coords = [(x_of[p], top + plot_h - plot_h * v / vmax, p, v) for p, v in sorted(pts)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coords)
        out.append(f'<g class="line" data-label="{_attr(label)}">'
                   f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, p, v in coords:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">'
                       f"<title>{escape(label)}, {escape(p)}: {fmt.number(v)}</title></circle>")
        ly = top + 14 * i
        out.append(f'<rect x="{left + plot_w + 20}" y="{ly}" width="10" height="10" fill="{color}"/>'
                   f'<text x="{left + plot_w + 36}" y="{ly + 9}">{escape(label)}</text></g>')
    out.append("</svg>")
    return "".join(out)


# Vietnam's extent (with the coast): longitude 102.1–109.5 E, latitude 8.4–23.4 N.
LON0, LON1, LAT0, LAT1 = 102.0, 110.0, 8.3, 23.5


def points(marks: list[dict], title: str, css_class: str = "map", unit: str = "") -> str:
    """Proportional circles (area ∝ value) at marks' {'label', 'lat', 'lon', 'value', 'href'?};
    every pre-2025 province centroid as a faint dot for the country's shape."""
    width, height = 440, 760
    sx = (width - 40) / (LON1 - LON0)
    sy = (height - 60) / (LAT1 - LAT0)
    def xy(lat, lon):
        return 20 + (lon - LON0) * sx, 40 + (LAT1 - lat) * sy
    vmax = max((m["value"] for m in marks if m.get("value")), default=0) or 1
    # with links inside, the map is a group of links (an 'img' may hold nothing focusable)
    role = "group" if any(m.get("href") for m in marks) else "img"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="{role}" aria-label="{_attr(title)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="11">',
           f"<title>{escape(title)}</title>",
           f'<text x="8" y="20" font-weight="bold" font-size="14">{escape(title)}</text>',
           f'<rect x="0" y="30" width="{width}" height="{height - 30}" fill="#eef4f8"/>']
    for lat, lon in geo.outline():
        x, y = xy(lat, lon)
        out.append(f'<circle class="base" cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#9aa7b0"/>')
    for m in sorted(marks, key=lambda m: -(m.get("value") or 0)):      # small circles on top
        x, y = xy(m["lat"], m["lon"])
        r = 4 + 26 * math.sqrt(max(0.0, (m.get("value") or 0) / vmax))
        tip = f"{m['label']}: {fmt.number(m.get('value'))}{unit}"
        circle = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{BAR}" fill-opacity="0.55" '
                  f'stroke="#5a0d0a" stroke-width="1"><title>{escape(tip)}</title></circle>')
        if m.get("href"):
            circle = f'<a href="{_attr(m["href"])}" aria-label="{_attr(tip)}">{circle}</a>'
        out.append(f'<g class="mark" data-label="{_attr(m["label"])}" data-value="{m.get("value")}">{circle}'
                   f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" fill="#1a1a1a">{escape(m["label"])}</text></g>')
    out.append(f'<text x="8" y="{height - 8}" fill="#333">Vị trí: tâm hành chính (gói vietnamadminunits)</text>')
    out.append("</svg>")
    return "".join(out)
