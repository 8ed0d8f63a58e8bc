"""How a report's text becomes items: one item per non-empty line, without its list marker
("-", "+", "•", "*", "1.", "a)"), so a list typed one point a line gives one item a point.
Pure (migration 0015 keeps a copy of it: a migration never imports the app's code)."""

import re

MARKER = re.compile(r"^\s*(?:[-+•*–]|\(?(?:\d{1,2}|[a-zđ])[.)])\s+", re.IGNORECASE)


def split_points(text: str) -> list[str]:
    """The points of `text`, in order, each stripped of its list marker."""
    points = []
    for line in (text or "").splitlines():
        point = MARKER.sub("", line).strip()
        if point:
            points.append(point)
    return points
