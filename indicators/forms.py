"""Forms of the indicator screens: they only parse what was typed; every rule is a service's."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tasks.forms import DEFAULT_IMPORT_MAX_BYTES
from tasks.models import Resolution, Task
from units.models import Unit

from .charts import figure
from .models import Indicator, IndicatorTarget, IndicatorValue
from .periods import period_key, period_label, period_parse, recent_periods

#: The value form's choice of the national figure (the others are units' ids).
NATIONAL = "national"
#: How many periods back the value form offers.
PERIODS_OFFERED = 24


class FigureField(forms.DecimalField):
    """A number as people type it in the active language: "75,5" in Vietnamese ("1.234,5" with
    a thousands point), "75.5" in English ("1,234.5")."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return Decimal(str(value))
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if (get_language() or "vi").startswith("en"):
            text = text.replace(",", "")
        elif "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(_("Write a number, e.g. 75,5."), code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return figure(float(value))
        return value


def _figure_fields(names: tuple[str, ...], model) -> dict:
    fields = {}
    for name in names:
        field = model._meta.get_field(name)
        fields[name] = FigureField(label=field.verbose_name, required=not field.null)
    return fields


class IndicatorForm(forms.ModelForm):
    """The secretariat's form of an indicator (its resolution is fixed once created)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    baseline_value = FigureField(label=_("baseline value"), required=False)

    class Meta:
        model = Indicator
        fields = ["resolution", "group", "code", "name", "name_en", "measure", "measure_en",
                  "direction", "baseline_value", "baseline_year", "baseline_source",
                  "baseline_illustrative", "frequency", "responsible_unit", "breakdown_units",
                  "data_source", "tasks", "is_illustrative", "note"]
        widgets = {name: forms.Textarea(attrs={"rows": 2})
                   for name in ("name", "name_en", "baseline_source", "data_source", "note")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["resolution"]
            self.fields["version"].initial = self.instance.version
        units = Unit.objects.exclude(kind=Unit.Kind.COLLECTIVE).order_by("path")
        self.fields["responsible_unit"].queryset = units
        self.fields["breakdown_units"].queryset = units
        self.fields["breakdown_units"].widget.attrs["size"] = 8
        self.fields["tasks"].queryset = Task.objects.select_related("resolution").order_by(
            "resolution_id", "sort_key")
        self.fields["tasks"].widget.attrs["size"] = 8

    def _post_clean(self):  # the service validates the row; nothing is written by the form
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("resolution", None)
        return data


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=IndicatorTarget.Kind.choices,
                             initial=IndicatorTarget.Kind.TARGET)
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2200)
    value = FigureField(label=_("value"))
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("National"))
    is_illustrative = forms.BooleanField(label=_("illustrative"), required=False)
    note = forms.CharField(label=_("note"), required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = indicator.breakdown_units.order_by("path")


class ValueForm(forms.Form):
    """A value for a period: where it is from, how final, and its evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    value = FigureField(label=_("value"))
    is_final = forms.TypedChoiceField(
        label=_("figure"), coerce=lambda v: v == "1",
        choices=[("0", _("Preliminary")), ("1", _("Final"))], initial="0")
    source_note = forms.CharField(label=_("source of the figure"),
                                  widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence_link = forms.URLField(label=_("link to the evidence"), required=False,
                                   max_length=500, assume_scheme="https")
    evidence_note = forms.CharField(
        label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=IndicatorValue._meta.get_field("evidence_note").help_text)

    def apply_errors(self, error: ValidationError) -> None:
        items = error.message_dict.items() if hasattr(error, "error_dict") else [
            (None, error.messages)]
        for name, messages in items:
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("value", "is_final", "source_note", "evidence_link", "evidence_note")}


class NewValueForm(ValueForm):
    """A value not yet entered: which figure (national or a unit's) and which period."""

    field_order = ["unit", "period"]

    def __init__(self, *args, indicator: Indicator, units: list, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["unit"] = forms.ChoiceField(label=_("figure of"), choices=[
            (NATIONAL if unit is None else str(unit.pk),
             _("National figure") if unit is None else unit.display_name) for unit in units])
        self.units = {NATIONAL if unit is None else str(unit.pk): unit for unit in units}
        frequency = indicator.frequency
        self.fields["period"] = forms.ChoiceField(label=_("period"), choices=[
            (period_key(frequency, end), period_label(frequency, end))
            for end in recent_periods(frequency, today=today, count=PERIODS_OFFERED)])
        self.order_fields(["unit", "period"])

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]

    def clean_period(self):
        return period_parse(self.indicator.frequency, self.cleaned_data["period"])


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)


class IndicatorImportForm(forms.Form):
    """An annex of targets to import into a resolution."""

    resolution = forms.ModelChoiceField(label=_("Resolution"), queryset=None,
                                        empty_label=None)
    file = forms.FileField(
        label=_("Annex of indicators"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8), laid out like the "
                    "annex of targets (\"Phụ lục: Chỉ tiêu\") or the template."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = Resolution.objects.order_by("-id")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = getattr(settings, "TASK_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)
        if uploaded.size > limit:
            raise ValidationError(_("The file is larger than %(size)s MB.")
                                  % {"size": limit // (1024 * 1024)})
        if not uploaded.size:
            raise ValidationError(_("The file is empty."))
        return uploaded
