"""Charts drawn on the server as SVG: no JavaScript, the same markup in a PDF and on a page.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that gives its figures in
words (for a screen reader, and for `pdftotext`). Every piece of text is escaped here, so the
markup can be inserted into a template as is. The four status classes stay apart in greyscale:
their fills differ in lightness and two of them carry a hatching pattern. A chart names no font
unless asked (`font_family=PDF_FONT` in the PDF): on a page its text is in the page's own.
"""

import hashlib
import math
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format

from tasks.rules import StatusClass

from .rates import rate

#: Per status class: fill colour and hatching ("" for none). In grey: dark, mid with stripes,
#: light, dark with a cross-hatch.
CLASS_STYLES = {
    StatusClass.COMPLETED_ON_TIME.value: ("#1e6b35", ""),
    StatusClass.COMPLETED_LATE.value: ("#b07a00", "diagonal"),
    StatusClass.IN_PROGRESS.value: ("#9cc3e6", ""),
    StatusClass.OVERDUE.value: ("#a01717", "cross"),
}
_FALLBACK_STYLE = ("#777777", "")
#: The PDF's font, named in its charts; on a page a chart names none and takes the page's own.
PDF_FONT = "Liberation Serif, Times New Roman, serif"
_WIDTH = 640
#: A rough average advance of Liberation Serif and Sans, in ems, to size label columns.
_EM_PER_CHAR = 0.48


def _text(value) -> str:
    return escape(str(value))


def _attr(value) -> str:
    return quoteattr(str(value))


def _shorten(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def percent_text(part: int, whole: int) -> str:
    """The share as the monthly report prints it: one decimal, in the active language's
    notation ("12,5")."""
    return number_format(rate(part, whole), 1)


def _chart_id(kind: str, *parts) -> str:
    """An id for the chart's own elements, stable for the same chart and apart from others in
    the same document."""
    digest = hashlib.sha1(repr((kind, parts)).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def _patterns(chart_id: str) -> str:
    """The hatchings, one <pattern> per status class that has one."""
    out = []
    for status, (fill, hatch) in CLASS_STYLES.items():
        if not hatch:
            continue
        if hatch == "diagonal":
            lines = "M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6"
        else:  # cross
            lines = "M0,0 L8,8 M8,0 L0,8"
        out.append(
            f'<pattern id="{chart_id}-{status}" patternUnits="userSpaceOnUse" width="8" '
            f'height="8"><rect width="8" height="8" fill="{fill}"/>'
            f'<path d="{lines}" stroke="#ffffff" stroke-opacity="0.7" stroke-width="1.6"/>'
            f"</pattern>")
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _paint(chart_id: str, status: str) -> str:
    fill, hatch = CLASS_STYLES.get(status, _FALLBACK_STYLE)
    return f"url(#{chart_id}-{status})" if hatch else fill


def _open(chart_id: str, height: int, title: str, description: str,
          font_family: str | None) -> str:
    family = f" font-family={_attr(font_family)}" if font_family else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}"{family}>'
        f'<title id="{chart_id}-title">{_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>'
        f"{_patterns(chart_id)}"
    )


def status_bar_chart(counts: dict[str, int], labels: dict[str, str], *, title: str,
                     font_family: str | None = None) -> str:
    """Horizontal bars, one per status class in the order of `labels` ({class: label}), each
    as long as its share of all tasks and followed by its number and percentage."""
    total = sum(counts.get(status, 0) for status in labels)
    rows = [(status, _shorten(label, 40), counts.get(status, 0))
            for status, label in labels.items()]
    chart_id = _chart_id("status", title, tuple(rows))
    description = "; ".join(f"{label}: {count} ({percent_text(count, total)}%)"
                            for _status, label, count in rows)
    font, row_height, top = 13, 30, 6
    longest = max((len(label) for _s, label, _c in rows), default=10)
    label_width = min(300, max(120, int(longest * font * _EM_PER_CHAR) + 10))
    bar_left = label_width + 8
    bar_room = _WIDTH - bar_left - 90  # room left for "123 (45,6%)"
    height = top * 2 + row_height * len(rows)
    parts = [_open(chart_id, height, title, description, font_family)]
    for index, (status, label, count) in enumerate(rows):
        y = top + index * row_height
        width = round(bar_room * count / total, 1) if total else 0
        middle = y + row_height / 2
        parts.append(
            f'<text x="{label_width}" y="{middle + font * 0.35:.1f}" font-size="{font}" '
            f'text-anchor="end">{_text(label)}</text>'
            f'<rect x="{bar_left}" y="{y + 5}" width="{bar_room}" '
            f'height="{row_height - 10}" fill="#f1f3f5"/>'
            f'<rect x="{bar_left}" y="{y + 5}" width="{width}" height="{row_height - 10}" '
            f'fill="{_paint(chart_id, status)}" stroke="#333333" stroke-width="0.6"/>'
            f'<text x="{bar_left + width + 6:.1f}" y="{middle + font * 0.35:.1f}" '
            f'font-size="{font}" font-weight="bold">'
            f"{count} ({_text(percent_text(count, total))}%)</text>")
    parts.append("</svg>")
    return "".join(parts)


def group_progress_chart(rows: list[dict], *, title: str,
                         labels: dict[str, str] | None = None,
                         font_family: str | None = None) -> str:
    """One stacked bar per task group: its tasks in the four status classes, scaled to the
    largest group, with a legend. `rows` are {"label": str, "counts": {class: n}}; `labels`
    ({class: label}) defaults to the classes' names in the active language."""
    if labels is None:
        labels = {status.value: str(status.label) for status in StatusClass}
    legend = [(status, _shorten(label, 40)) for status, label in labels.items()]
    bars = [(_shorten(row["label"], 95),
             [(status, int(row["counts"].get(status, 0))) for status in labels])
            for row in rows]
    chart_id = _chart_id("groups", title, tuple((label, tuple(c)) for label, c in bars))
    description = " ".join(
        f"{label}: " + ", ".join(f"{labels[status]} {count}" for status, count in counts) + "."
        for label, counts in bars)

    font, legend_row, row_height = 12, 20, 44
    legend_height = legend_row * ((len(legend) + 1) // 2) + 8
    height = legend_height + row_height * len(bars) + 4
    largest = max((sum(count for _s, count in counts) for _l, counts in bars), default=0)
    bar_room = _WIDTH - 50  # room left at the end for the total
    parts = [_open(chart_id, height, title, description, font_family)]
    for index, (status, label) in enumerate(legend):
        x, y = (index % 2) * (_WIDTH // 2), (index // 2) * legend_row
        parts.append(
            f'<rect x="{x}" y="{y + 3}" width="14" height="14" fill="{_paint(chart_id, status)}" '
            f'stroke="#333333" stroke-width="0.6"/>'
            f'<text x="{x + 20}" y="{y + 14}" font-size="{font}">{_text(label)}</text>')
    for index, (label, counts) in enumerate(bars):
        y = legend_height + index * row_height
        parts.append(f'<text x="0" y="{y + font}" font-size="{font}" '
                     f'font-weight="bold">{_text(label)}</text>')
        x, bar_y, bar_height = 0.0, y + font + 5, 20
        total = sum(count for _s, count in counts)
        for status, count in counts:
            if not count:
                continue
            width = bar_room * count / largest
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y}" width="{width:.1f}" height="{bar_height}" '
                f'fill="{_paint(chart_id, status)}" stroke="#333333" stroke-width="0.6"/>')
            label_width = 7 * len(str(count)) + 6
            if width >= label_width + 4:
                # On a white tag: legible on any fill or hatching, in colour or in grey.
                middle = x + width / 2
                parts.append(
                    f'<rect x="{middle - label_width / 2:.1f}" y="{bar_y + 3}" '
                    f'width="{label_width}" height="{bar_height - 6}" rx="2" fill="#ffffff"/>'
                    f'<text x="{middle:.1f}" y="{bar_y + 14}" font-size="{font}" '
                    f'font-weight="bold" text-anchor="middle">{count}</text>')
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{bar_y + 14}" font-size="{font}">'
                     f"{total}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(chart_id: str, items: list[tuple[str, str]], *, y: int, font: int = 12) -> str:
    """A row of legend entries: (status class or "line", label)."""
    parts, x = [], 0
    for status, label in items:
        if status == "line":
            parts.append(f'<line x1="{x}" y1="{y + 10}" x2="{x + 14}" y2="{y + 10}" '
                         f'stroke="#1b1f23" stroke-width="2" stroke-dasharray="4 2"/>'
                         f'<circle cx="{x + 7}" cy="{y + 10}" r="3" fill="#1b1f23"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y + 3}" width="14" height="14" '
                         f'fill="{_paint(chart_id, status)}" stroke="#333333" '
                         f'stroke-width="0.6"/>')
        parts.append(f'<text x="{x + 20}" y="{y + 14}" font-size="{font}">{_text(label)}</text>')
        x += 20 + int(len(label) * font * _EM_PER_CHAR) + 18
    return "".join(parts)


def _month_label(month) -> str:
    return f"{month.month:02d}/{month.year % 100:02d}"


def deadline_timeline_chart(timeline: dict, *, labels: dict[str, str], title: str,
                            font_family: str | None = None) -> str:
    """A Gantt-like timeline of deadlines: one row per task group, one column per month; a bar
    spans each group's months with deadlines, and each month holds a small stacked column of
    its deadlines by status class, its height growing with the square root of their number
    (hover or read the description for the numbers). A dashed line marks this month.

    `timeline` is {"months": [first days], "lines": [{"group": TaskGroup, "cells": [{"month",
    "total", "counts": {class: n}}]}], "this_month": first day}.
    """
    months, lines = timeline["months"], timeline["lines"]
    chart_id = _chart_id("timeline", title, tuple(
        (line["group"].pk, tuple(cell["total"] for cell in line["cells"])) for line in lines))
    descriptions = []
    for line in lines:
        busy = [cell for cell in line["cells"] if cell["total"]]
        name = f"{line['group'].resolution.number} · {line['group'].number}"
        if not busy:
            descriptions.append(f"{name}: 0.")
            continue
        peak = max(busy, key=lambda cell: cell["total"])
        descriptions.append(
            f"{name}: {sum(cell['total'] for cell in busy)} "
            f"({_month_label(busy[0]['month'])}–{_month_label(busy[-1]['month'])}; "
            f"max {peak['total']}, {_month_label(peak['month'])}).")
    font, label_width, header, row_height = 11, 150, 44, 30
    column = (_WIDTH - label_width) / max(1, len(months))
    largest = max((cell["total"] for line in lines for cell in line["cells"]), default=0)
    height = header + row_height * len(lines) + 8
    parts = [_open(chart_id, height, title, " ".join(descriptions), font_family)]
    parts.append(_legend(chart_id, [(status, _shorten(label, 30))
                                    for status, label in labels.items()], y=0, font=font))
    for index, month in enumerate(months):
        x = label_width + index * column + column / 2
        parts.append(f'<text x="{x:.1f}" y="{header - 6}" font-size="9" '
                     f'text-anchor="middle">{_month_label(month)}</text>')
        if month == timeline["this_month"]:
            parts.append(f'<line x1="{x:.1f}" y1="{header - 2}" x2="{x:.1f}" y2="{height}" '
                         f'stroke="#8a1c1c" stroke-width="1.2" stroke-dasharray="3 3"/>')
    for row, line in enumerate(lines):
        top = header + row * row_height
        group = line["group"]
        parts.append(f'<text x="0" y="{top + row_height / 2 + 4:.1f}" font-size="{font}">'
                     f'<title>{_text(group.display_name)}</title>'
                     f'{_text(_shorten(f"{group.resolution.number} · {group.number}", 24))}'
                     f'</text>')
        busy = [index for index, cell in enumerate(line["cells"]) if cell["total"]]
        if busy:
            start = label_width + busy[0] * column + 2
            end = label_width + (busy[-1] + 1) * column - 2
            parts.append(f'<rect x="{start:.1f}" y="{top + row_height - 7}" '
                         f'width="{end - start:.1f}" height="4" rx="2" fill="#c5ccd3"/>')
        # One outline for every column (the markup of a large programme stays small); each
        # column's <title> gives its month and number when pointed at.
        parts.append('<g stroke="#333333" stroke-width="0.4">')
        for index, cell in enumerate(line["cells"]):
            if not cell["total"]:
                continue
            x = label_width + index * column + column * 0.2
            y = top + row_height - 8
            # Square-root heights: a quiet month stays visible beside a year-end's crowd.
            tall = max(3.0, (row_height - 12) * math.sqrt(cell["total"] / largest))
            parts.append(f"<g><title>{_month_label(cell['month'])}: {cell['total']}</title>")
            for status in labels:
                count = cell["counts"].get(status, 0)
                if not count:
                    continue
                piece = tall * count / cell["total"]
                y -= piece
                parts.append(f'<rect x="{x:.0f}" y="{y:.1f}" width="{column * 0.6:.0f}" '
                             f'height="{piece:.1f}" fill="{_paint(chart_id, status)}"/>')
            parts.append("</g>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def completion_trend_chart(months: list[dict], *, title: str, on_time: str, late: str,
                           share: str, font_family: str | None = None) -> str:
    """Tasks completed each month, on time and late (stacked columns), and the share of all
    tasks completed by the end of each month (a dashed line, on its own 0–100% scale).

    `months` are {"month": first day, "on_time": n, "late": n, "share": percent}.
    """
    chart_id = _chart_id("trend", title, tuple(
        (m["month"], m["on_time"], m["late"], m["share"]) for m in months))
    description = " ".join(
        f"{_month_label(m['month'])}: {on_time} {m['on_time']}, {late} {m['late']}, "
        f"{share} {_text(number_format(m['share'], 1))}%." for m in months)
    font, top, bottom, left, right = 11, 30, 24, 34, 40
    height = 240
    plot = height - top - bottom
    column = (_WIDTH - left - right) / max(1, len(months))
    largest = max((m["on_time"] + m["late"] for m in months), default=0) or 1
    parts = [_open(chart_id, height, title, description, font_family)]
    parts.append(_legend(chart_id, [(StatusClass.COMPLETED_ON_TIME.value, on_time),
                                    (StatusClass.COMPLETED_LATE.value, late),
                                    ("line", _shorten(share, 50))], y=0, font=font))
    base = top + plot
    parts.append(f'<line x1="{left}" y1="{base}" x2="{_WIDTH - right}" y2="{base}" '
                 f'stroke="#333333" stroke-width="0.8"/>')
    parts.append(f'<text x="{left - 4}" y="{top + 4}" font-size="9" text-anchor="end">'
                 f"{largest}</text>"
                 f'<text x="{left - 4}" y="{base}" font-size="9" text-anchor="end">0</text>'
                 f'<text x="{_WIDTH - right + 4}" y="{top + 4}" font-size="9">100%</text>'
                 f'<text x="{_WIDTH - right + 4}" y="{base}" font-size="9">0%</text>')
    points = []
    for index, m in enumerate(months):
        x = left + index * column
        y = base
        for status, count in ((StatusClass.COMPLETED_ON_TIME.value, m["on_time"]),
                              (StatusClass.COMPLETED_LATE.value, m["late"])):
            if not count:
                continue
            tall = plot * count / largest
            y -= tall
            parts.append(f'<rect x="{x + column * 0.15:.1f}" y="{y:.1f}" '
                         f'width="{column * 0.7:.1f}" height="{tall:.1f}" '
                         f'fill="{_paint(chart_id, status)}" stroke="#333333" '
                         f'stroke-width="0.5"/>')
        total = m["on_time"] + m["late"]
        if total:
            parts.append(f'<text x="{x + column / 2:.1f}" y="{y - 3:.1f}" font-size="9" '
                         f'text-anchor="middle">{total}</text>')
        parts.append(f'<text x="{x + column / 2:.1f}" y="{base + 14}" font-size="9" '
                     f'text-anchor="middle">{_month_label(m["month"])}</text>')
        points.append((x + column / 2, base - plot * min(100.0, m["share"]) / 100))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1b1f23" '
                     f'stroke-width="2" stroke-dasharray="4 2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1b1f23"/>'
                  for x, y in points]
    parts.append("</svg>")
    return "".join(parts)
