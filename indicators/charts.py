"""An indicator's charts drawn on the server as SVG, as reports/charts.py draws the monthly
report's: no JavaScript, an `<svg role="img">` with a `<title>` and a `<desc>` giving the figures
in words, every text escaped here, no font named (the page's own is used).
"""

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.text import dmy

from .trajectory import BASELINE, MILESTONE, Observation, Point, expected_on, path_of

_LINE, _PATH, _TARGET, _GRID = "#1f5fa8", "#777777", "#a01717", "#dddddd"


def figure(value: float) -> str:
    """A value as people read it: up to two decimals, in the active language's notation."""
    text = number_format(round(value, 2), 2)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return text


def _t(value) -> str:
    return escape(str(value))


def _a(value) -> str:
    return quoteattr(str(value))


def sparkline(observations: list[Observation], *, title: str, width: int = 120,
              height: int = 28) -> str:
    """A small trend line of the approved values (empty when there are none)."""
    if not observations:
        return ""
    values = [o.value for o in observations]
    low, high = min(values), max(values)
    spread = (high - low) or 1.0
    step = (width - 6) / max(len(values) - 1, 1)
    xy = [(3 + i * step, height - 3 - (v - low) / spread * (height - 6))
          for i, v in enumerate(values)]
    if len(xy) == 1:
        xy = [(3, xy[0][1]), (width - 3, xy[0][1])]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    words = "; ".join(f"{dmy(o.on)}: {figure(o.value)}" for o in observations)
    last_x, last_y = xy[-1]
    return (f'<svg class="sparkline" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{_t(title)}</title><desc>{_t(words)}</desc>"
            f'<polyline points="{points}" fill="none" stroke="{_LINE}" stroke-width="2"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="{_LINE}"/></svg>')


def indicator_chart(*, points: list[Point], observations: list[Observation], title: str,
                    measure: str, today: date, width: int = 640, height: int = 300) -> str:
    """The trajectory (baseline, milestones, targets, straight between them), today's expected
    value and the approved values over the years."""
    path = path_of(points)
    dates = [p.on for p in path] + [o.on for o in observations]
    if not dates:
        return ""
    start = min([date(d.year, 1, 1) for d in dates])
    end = max(dates + [today])
    values = [p.value for p in path] + [o.value for o in observations]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    left, right, top, bottom = 56, 16, 16, 36
    span_days = max((end - start).days, 1)

    def x(day: date) -> float:
        return left + (day - start).days / span_days * (width - left - right)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    out = [f'<svg class="indicator-chart" role="img" width="100%" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
           f"<title>{_t(title)}</title>", f"<desc>{_t(_describe(path, observations, measure))}"
           "</desc>"]
    for step in range(5):
        value = low + (high - low) * step / 4
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
                   f'y2="{y(value):.1f}" stroke="{_GRID}"/>'
                   f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{_t(figure(value))}</text>')
    years = range(start.year, end.year + 1)
    every = max(1, len(years) // 8)
    for year in years[::every]:
        tick = x(date(year, 1, 1))
        out.append(f'<text x="{tick:.1f}" y="{height - 14}" text-anchor="middle" '
                   f'font-size="11">{year}</text>')
    if len(path) > 1:
        line = " ".join(f"{x(p.on):.1f},{y(p.value):.1f}" for p in path)
        out.append(f'<polyline points="{line}" fill="none" stroke="{_PATH}" stroke-width="1.5" '
                   f'stroke-dasharray="6 4"/>')
    for point in path:
        cx, cy = x(point.on), y(point.value)
        if point.kind == BASELINE:
            out.append(f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" '
                       f'fill="{_PATH}"/>')
        elif point.kind == MILESTONE:
            out.append(f'<path d="M{cx:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy:.1f} '
                       f'L{cx:.1f},{cy + 5:.1f} L{cx - 5:.1f},{cy:.1f} Z" fill="#ffffff" '
                       f'stroke="{_PATH}" stroke-width="1.5"/>')
        else:
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{_TARGET}"/>'
                       f'<text x="{cx - 6:.1f}" y="{cy - 8:.1f}" text-anchor="end" '
                       f'font-size="11">{_t(figure(point.value))}</text>')
    if observations:
        line = " ".join(f"{x(o.on):.1f},{y(o.value):.1f}" for o in observations)
        out.append(f'<polyline points="{line}" fill="none" stroke="{_LINE}" stroke-width="2"/>')
        out += [f'<circle cx="{x(o.on):.1f}" cy="{y(o.value):.1f}" r="3" fill="{_LINE}"/>'
                for o in observations]
    expected = expected_on(path, today)
    if expected is not None:
        out.append(f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="{top}" '
                   f'y2="{height - bottom}" stroke="{_PATH}" stroke-dasharray="2 3"/>')
    out.append("</svg>")
    return "".join(out)


def _describe(path: list[Point], observations: list[Observation], measure: str) -> str:
    labels = {BASELINE: _("baseline"), MILESTONE: _("milestone")}
    parts = [f"{labels.get(p.kind, _('target'))} {p.year}: {figure(p.value)} {measure}"
             for p in path]
    parts += [_("approved %(date)s: %(value)s") % {"date": dmy(o.on), "value": figure(o.value)}
              for o in observations]
    return "; ".join(parts)


def breakdown_chart(rows: list[dict], *, title: str, width: int = 640) -> str:
    """One bar per unit of the breakdown: its latest approved value, with its target marked.
    Each row: {"name", "value" (or None), "target" (or None)}."""
    rows = [row for row in rows if row["value"] is not None]
    if not rows:
        return ""
    high = max([r["value"] for r in rows] + [r["target"] or 0 for r in rows]) or 1.0
    label_width, bar_height, gap = 220, 16, 8
    height = len(rows) * (bar_height + gap) + gap
    scale = (width - label_width - 60) / high
    out = [f'<svg class="breakdown-chart" role="img" width="100%" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{_t(title)}</title><desc>"
           + _t("; ".join(f"{r['name']}: {figure(r['value'])}" for r in rows)) + "</desc>"]
    for index, row in enumerate(rows):
        top = gap + index * (bar_height + gap)
        name = row["name"] if len(row["name"]) <= 34 else row["name"][:33] + "…"
        out.append(f'<text x="{label_width - 6}" y="{top + 12}" text-anchor="end" '
                   f'font-size="11">{_t(name)}</text>'
                   f'<rect x="{label_width}" y="{top}" width="{row["value"] * scale:.1f}" '
                   f'height="{bar_height}" fill="{_LINE}"/>'
                   f'<text x="{label_width + row["value"] * scale + 4:.1f}" y="{top + 12}" '
                   f'font-size="11">{_t(figure(row["value"]))}</text>')
        if row["target"] is not None:
            tick = label_width + row["target"] * scale
            out.append(f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{top - 2}" '
                       f'y2="{top + bar_height + 2}" stroke="{_TARGET}" stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)
