"""The indicator list and an indicator's page: thin, the figures come from selectors and the
pure rules of indicators.trajectory."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import versions
from core.page_actions import page_actions
from core.text import localized
from tasks.models import Resolution

from .. import selectors
from ..charts import breakdown_chart, indicator_chart
from ..filters import IndicatorFilter
from ..forms import TargetForm
from ..missing import late_days, missing_summary, missing_values
from ..permissions import can_manage_indicators, can_see_missing_values
from ..status import TrackStatus, points_of, tolerance
from ..trajectory import Observation, expected_on
from .common import indicator_row, status_date


@login_required
def indicator_list(request):
    """Every indicator with its trend line and its track status on the date asked for."""
    on, date_form = status_date(request)
    filters = IndicatorFilter(request.GET or None,
                              queryset=selectors.indicator_list_with_series(user=request.user))
    indicators = filters.qs if not filters.is_bound or filters.is_valid() else (
        filters.queryset.none())

    def draw():
        rows = [indicator_row(indicator, on=on) for indicator in indicators]
        counts = {status: sum(row["status"] == status for row in rows) for status in TrackStatus}
        return render_to_string("indicators/indicator_rows.html", {
            "rows": rows, "on": on, "date_form": date_form,
            "counts": [(status, counts[status]) for status in TrackStatus]})

    # Every reader sees every indicator: the table is drawn once per day, filters, language
    # and change to what it shows (the indicators' version: their targets and approved values;
    # the choices' version: the names of the units and resolutions).
    own, choices = versions.current("indicators"), versions.current("choices")
    table = versions.cached_fragment(
        "indicator_list", {"on": on, "dated": date_form.is_bound, "tolerance": tolerance(),
                           "filters": sorted(request.GET.lists())},
        draw, version=f"{own}/{choices}" if own and choices else None)
    return render(request, "indicators/indicator_list.html", {
        "table": table, "on": on, "date_form": date_form, "filters": filters,
        "resolutions": Resolution.objects.filter(indicators__isnull=False).distinct(),
        "may_manage": can_manage_indicators(request.user),
        "tolerance_percent": round(tolerance() * 100, 1),
        "missing": _missing(on) if can_see_missing_values(request.user) else "",
    })


def _missing(on) -> str:
    """The values still missing, drawn once per day and change to what they read (every
    indicator, its breakdown and its values: core.versions' "indicator_entries", and the
    units: "choices")."""
    entries, choices = versions.current("indicator_entries"), versions.current("choices")
    return versions.cached_fragment(
        "indicator_missing", {"on": on, "late_days": late_days()},
        lambda: render_to_string("indicators/missing_section.html",
                                 {"missing": missing_summary(missing_values(on=on))}),
        version=f"{entries}/{choices}" if entries and choices else None)


@login_required
def indicator_detail(request, pk):
    """One indicator: its chart, targets, status rule, breakdown by unit, contributing tasks
    and the values on their way."""
    on, date_form = status_date(request)
    indicator = get_object_or_404(
        selectors.indicator_list_with_series(user=request.user, national_only=False)
        .prefetch_related("breakdown_units"), pk=pk)
    row = indicator_row(indicator, on=on)
    points = points_of(indicator)
    national = [value for value in indicator.values.all() if value.unit_id is None]
    breakdown = []
    for unit in indicator.breakdown_units.all():
        unit_row = indicator_row(indicator, on=on, unit_id=unit.pk)
        unit_row["unit"] = unit
        breakdown.append(unit_row)
    title = _("%(code)s: trajectory and approved values") % {"code": indicator.code}
    chart = indicator_chart(points=points, observations=[o for o in _obs(national) if o.on <= on],
                            title=title, measure=indicator.display_measure, today=on)
    bars = breakdown_chart(
        [{"name": localized(r["unit"].name, r["unit"].name_en),
          "value": r["latest"].value if r["latest"] else None,
          "target": r["track"].target.value if r["track"].target else None} for r in breakdown],
        title=_("Latest approved value of each unit, with its target"))
    return render(request, "indicators/indicator_detail.html", {
        "indicator": indicator, "row": row, "on": on, "date_form": date_form,
        "expected_today": expected_on(points, on), "chart": chart, "bars": bars,
        "targets": list(indicator.targets.all()), "national": national[::-1],
        "breakdown": breakdown, "tolerance_percent": round(tolerance() * 100, 1),
        "tasks": selectors.contributing_tasks(user=request.user, indicator=indicator, on=on),
        "in_progress": selectors.values_in_progress(user=request.user, indicator=indicator),
        "may_enter": bool(selectors.units_user_enters_for(user=request.user,
                                                          indicator=indicator)),
        "may_manage": can_manage_indicators(request.user),
        "target_form": TargetForm(indicator=indicator),
        "page_actions": page_actions("indicator", request, indicator=indicator,
                                     status=row["status"], on=on),
    })


def _obs(values) -> list[Observation]:
    return [Observation(v.period_end, float(v.value)) for v in values]
