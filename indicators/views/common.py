"""What the indicator screens share: the date asked for, and each indicator's row."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..charts import sparkline
from ..status import TrackStatus, indicator_track, observations_of


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("Status on"), required=False, input_formats=["%d/%m/%Y"],
                         widget=forms.DateInput(format="%d/%m/%Y",
                                                attrs={"placeholder": "dd/mm/yyyy",
                                                       "inputmode": "numeric"}))


def status_date(request) -> tuple[date, OnDateForm]:
    """The day the track status is computed for (`?on=dd/mm/yyyy`), today by default."""
    form = OnDateForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
        return form.cleaned_data["on"], form
    return timezone.localdate(), form


def indicator_row(indicator, *, on: date, unit_id=None) -> dict:
    """What a list shows of an indicator (or of one unit's figure of it) on `on`."""
    track = indicator_track(indicator, on=on, unit_id=unit_id)
    seen = [o for o in observations_of(indicator, unit_id) if o.on <= on]
    return {"indicator": indicator, "track": track,
            "status": TrackStatus(track.status),
            "trend": sparkline(seen, title=_("Trend of the approved values")),
            "latest": track.latest}
