"""The links of the dashboard's pages: to the lists behind their numbers, to the other pages of
the dashboard, and the sorting and paging of its tables; each keeps the page's filters."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

#: The query parameters that choose tasks (TaskFilter's), kept on every link of the page.
TASK_PARAMS = ("q", "resolution", "include_plans", "group", "lead_unit", "lead_unit_name",
               "coordinating_unit", "unit", "status", "overdue", "deadline_from", "deadline_to",
               "clarity")

#: The pages of the dashboard after its first screen: (name, URL name).
SECTIONS = ("groups", "units", "deadlines", "timeline", "compliance", "clarity", "indicators")


def active_filters(request) -> int:
    """How many of the task filters the address sets."""
    return sum(1 for name in TASK_PARAMS if any(request.GET.getlist(name)))


class Links:
    """URLs to the lists behind the numbers: the page's filters plus the number's own.

    A page has a thousand of them: the paths are reversed once and the query strings built from
    plain pairs."""

    def __init__(self, request):
        self.base: dict[str, list[str]] = {}
        for name in TASK_PARAMS:
            values = [value for value in request.GET.getlist(name) if value]
            if values:
                self.base[name] = values
        self.paths = {"tasks": reverse("tasks:list"), "at_risk": reverse("dashboard_at_risk"),
                      "reports": reverse("dashboard_reports"),
                      "dashboard": reverse("dashboard"),
                      **{name: reverse(f"dashboard_{name}") for name in SECTIONS}}

    def query(self, **params) -> str:
        merged = dict(self.base)
        for name, value in params.items():
            if value is None:
                merged.pop(name, None)
            elif isinstance(value, list | tuple):
                merged[name] = [str(item) for item in value]
            else:
                merged[name] = [str(value)]
        return urlencode([(name, value) for name, values in merged.items()
                          for value in values])

    def to(self, path: str, **params) -> str:
        """The URL of `path` (a name of self.paths) with the filters and `params`."""
        query = self.query(**params)
        return f"{self.paths[path]}?{query}" if query else self.paths[path]

    def tasks(self, **params) -> str:
        return f"{self.paths['tasks']}?{self.query(**params)}"

    def at_risk(self, **params) -> str:
        return f"{self.paths['at_risk']}?{self.query(**params)}"

    def reports(self, **params) -> str:
        return f"{self.paths['reports']}?{self.query(**params)}"

    def page(self, **params) -> str:
        return f"?{self.query(**params)}"


def within(filters, start: date, end: date) -> tuple[date, date] | None:
    """The part of [start, end] inside the page's own deadline range (None if none)."""
    data = filters.form.cleaned_data if filters.is_bound and hasattr(
        filters.form, "cleaned_data") else {}
    low = max(start, data.get("deadline_from") or start)
    high = min(end, data.get("deadline_to") or end)
    return (low, high) if low <= high else None


def int_param(request_get, name: str) -> int:
    value = request_get.get(name, "")
    return int(value) if value.isdigit() else 1


def kept(request_get, *names) -> dict:
    return {name: request_get.get(name) for name in names if request_get.get(name)}


def sort_links(links: Links, param: str, current: str, columns: list[str]) -> dict:
    """For each sortable column: the URL sorting by it (numbers largest first, names A to Z;
    the other way round when already so sorted; from the first page), and whether and how the
    table is sorted."""
    result = {}
    for column in columns:
        descending = current == f"-{column}"
        ascending = current == column
        if column == "unit":
            target = f"-{column}" if ascending else column
        else:
            target = column if descending else f"-{column}"
        result[column] = {"url": links.page(**{param: target}),
                          "sorted": "descending" if descending else
                          "ascending" if ascending else ""}
    return result


def pager(links: Links, request_get, param: str, sort_param: str, page) -> dict:
    """The previous and next pages of a table, its sorting kept."""
    others = kept(request_get, sort_param)
    return {
        "previous": links.page(**others, **{param: page.number - 1})
        if page.has_previous else "",
        "next": links.page(**others, **{param: page.number + 1}) if page.has_next else "",
    }
