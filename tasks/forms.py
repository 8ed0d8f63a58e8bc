"""Forms of the programme secretariat's screens: resolutions, groups, tasks, outputs, deadline
changes, imports. Every rule lives in the services; these only parse what was typed."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ids import IdField
from units.models import Unit

from .models import Authority, Output, Resolution, Task, TaskGroup

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                       "inputmode": "numeric",
                                                       "autocomplete": "off"})
#: An uploaded task list larger than this is refused.
DEFAULT_IMPORT_MAX_BYTES = 10 * 1024 * 1024


class VersionedForm(forms.Form):
    """Carries, hidden, when the row was last saved as the editor loaded it: a save made after
    someone else's is refused rather than overwriting theirs."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def expected_updated_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.cleaned_data.get("version") or "")
        except ValueError:
            return None

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's refusal beside the fields it names (else above the form)."""
        items = error.message_dict.items() if hasattr(error, "error_dict") else [
            (None, error.messages)]
        for name, messages in items:
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def version_of(instance) -> str:
    return instance.updated_at.isoformat() if instance and instance.pk else ""


def _model_fields(model, names, **kwargs) -> dict:
    return forms.fields_for_model(model, fields=names, **kwargs)


class ResolutionForm(VersionedForm):
    FIELDS = ["number", "kind", "issuer", "title", "title_en", "issued_on", "implements",
              "owner_unit", "is_tracked", "is_public", "note"]

    def __init__(self, *args, instance: Resolution | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Resolution, self.FIELDS, widgets={
            "issued_on": DATE_INPUT, "title": forms.Textarea(attrs={"rows": 3}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2})}))
        self.fields["issued_on"].input_formats = ["%d/%m/%Y"]
        implements = Resolution.objects.order_by("number")
        if instance is not None and instance.pk:
            implements = implements.exclude(pk=instance.pk)
            self.initial.update({name: getattr(instance, name) for name in self.FIELDS})
            self.initial["version"] = version_of(instance)
        self.fields["implements"].queryset = implements
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True).exclude(
            kind=Unit.Kind.COLLECTIVE).order_by("path")


class TaskGroupForm(VersionedForm):
    FIELDS = ["number", "name", "name_en"]

    def __init__(self, *args, instance: TaskGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(TaskGroup, self.FIELDS, widgets={
            "name": forms.Textarea(attrs={"rows": 2}),
            "name_en": forms.Textarea(attrs={"rows": 2})}))
        if instance is not None and instance.pk:
            self.initial.update({name: getattr(instance, name) for name in self.FIELDS})
            self.initial["version"] = version_of(instance)


class TaskForm(VersionedForm):
    """A task's description; on creation its deadline too (as the programme writes it)."""

    FIELDS = ["group", "code", "title", "title_en", "description", "lead_unit",
              "coordinating_units", "competent_authority", "responsible_official"]

    def __init__(self, *args, resolution: Resolution, instance: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(Task, self.FIELDS, widgets={
            "title": forms.Textarea(attrs={"rows": 3}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "coordinating_units": forms.SelectMultiple(attrs={"size": 8}),
        }))
        units = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["group"].queryset = resolution.groups.order_by("number")
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units
        self.fields["coordinating_units"].help_text = _(
            "Hold Ctrl (⌘ on a Mac) to choose several.")
        self.creating = instance is None or not instance.pk
        if self.creating:
            self.fields["deadline_text"] = forms.CharField(
                label=_("Completion deadline"), max_length=255, required=False,
                help_text=_('As the programme writes it: "30/10/2025", "Quý IV/2025", '
                            '"Năm 2026", "Hằng năm, từ năm 2026", "Thường xuyên".'))
        else:
            self.initial.update({name: getattr(instance, name) for name in self.FIELDS
                                 if name != "coordinating_units"})
            self.initial["coordinating_units"] = [u.pk for u in instance.coordinating_units.all()]
            self.initial["version"] = version_of(instance)
        if resolution.implements_id:
            # A task of a plan breaks down one task of the programme its plan implements.
            self.fields["implements"] = forms.ModelChoiceField(
                label=_("Implements the task"), required=False,
                queryset=Task.objects.filter(resolution_id=resolution.implements_id)
                .order_by("sort_key"),
                help_text=_("The task of %(programme)s that this task breaks down.")
                % {"programme": resolution.implements.number})
            if not self.creating:
                self.initial["implements"] = instance.implements_id

    def task_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.FIELDS
                  if name != "coordinating_units"}
        if "implements" in self.fields:
            fields["implements"] = self.cleaned_data["implements"]
        return fields


class OutputForm(forms.Form):
    """One output of the task: what it promises and, once issued, the document."""

    id = IdField(label=_("output"), widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *Output.Kind.choices],
                             required=False)
    title = forms.CharField(label=_("product"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    document_number = forms.CharField(label=_("document number"), max_length=100,
                                      required=False)
    issued_on = forms.DateField(label=_("date issued"), required=False, widget=DATE_INPUT,
                                input_formats=["%d/%m/%Y"])

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or not (data.get("title") or "").strip():
            if data.get("id") and not data.get("DELETE"):
                self.add_error("title", _("Give the product, or tick “remove”."))
            return data
        if not data.get("kind"):
            self.add_error("kind", _("Choose the kind of product."))
        if (data.get("document_number") or "").strip() and not data.get("issued_on"):
            self.add_error("issued_on", _("Give the date the document was issued."))
        return data


OutputFormSet = forms.formset_factory(OutputForm, extra=2, can_delete=True)


class DecisionFields(forms.Form):
    """The decision of the competent authority that allows a deadline change (its number, date
    and who made it); the services say which are required."""

    decision_number = forms.CharField(label=_("decision number"), max_length=100,
                                      required=False)
    decision_date = forms.DateField(label=_("decision date"), required=False, widget=DATE_INPUT,
                                    input_formats=["%d/%m/%Y"])
    decision_authority = forms.ChoiceField(label=_("decided by"), required=False,
                                           choices=[("", "—"), *Authority.choices])


class DeadlineChangeForm(VersionedForm, DecisionFields):
    field_order = ["deadline", "decision_number", "decision_date", "decision_authority",
                   "reason"]
    deadline = forms.CharField(
        label=_("New deadline"), max_length=255, required=False,
        help_text=_('As the decision writes it: "30/06/2026", "Quý II/2026", "Năm 2026"…'))
    reason = forms.CharField(label=_("reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Task list file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8), laid out like the "
                    "programme's appendix or the template."))
    number_within_group = forms.BooleanField(
        label=_("Numbered within each group"), required=False,
        help_text=_("Tick when the code column starts again at 1 in each group: task 3 of "
                    "group II becomes 2.3."))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = getattr(settings, "TASK_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)
        if uploaded.size > limit:
            raise ValidationError(_("The file is larger than %(size)s MB.")
                                  % {"size": limit // (1024 * 1024)})
        if not uploaded.size:
            raise ValidationError(_("The file is empty."))
        return uploaded


class DecisionForm(DecisionFields):
    """The decision that allows the deadline changes an import makes."""

    reason = forms.CharField(label=_("reason"), required=False, max_length=500)


class UnitResolveForm(forms.Form):
    """A name an import did not find among the units: read it as a known unit (remembered as
    that unit's alias), or create a unit of that name."""

    MAP, CREATE = "map", "create"

    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(MAP, _("Map to a known unit")),
                                        (CREATE, _("Create the unit"))],
                               widget=forms.HiddenInput)
    unit = IdField(label=_("Known unit"), required=False)
    code = forms.CharField(label=_("Code of the new unit"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=Unit.Kind.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.MAP:
            unit = Unit.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
            if unit is None:
                self.add_error("unit", _("Choose the unit this name means."))
            data["unit"] = unit
        elif data.get("action") == self.CREATE:
            if not (data.get("code") or "").strip():
                self.add_error("code", _("Give the new unit a code."))
            if not data.get("kind"):
                self.add_error("kind", _("Say what kind of unit it is."))
        return data
