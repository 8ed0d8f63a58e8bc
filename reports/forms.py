from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.ids import IdField
from tasks.models import TaskGroup

from .evidence import evidence_validate
from .models import OutputProgress, ProgressReport

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def _check_file(uploaded) -> None:
    """The evidence rules (content type, size) as a form field's error."""
    try:
        evidence_validate(uploaded=uploaded)
    except ValidationError as error:
        raise ValidationError(
            [f"{uploaded.name}: {message}" for message in error.messages]) from error


class ProgressReportForm(forms.ModelForm):
    """The content of one unit's monthly report on one task."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressReport
        fields = ["percent_complete", "progress_status", "results", "difficulties", "proposals",
                  "next_steps", "completion_date"]
        widgets = {
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "completion_date": forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
        }
        help_texts = {
            "completion_date": _("Required when the task is completed (dd/mm/yyyy)."),
        }


class OutputProgressForm(forms.Form):
    """The state of one of the task's outputs, as of this report."""

    # Hidden, but posted by the browser: a tampered value is the form's error; an id of another
    # task's output is ignored when saving (reports.views.reporting).
    output_id = IdField(label=_("output"), widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("state"), choices=OutputProgress.Status.choices)
    document_number = forms.CharField(label=_("document number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("date issued"), required=False,
                                widget=forms.DateInput(format="%d/%m/%Y",
                                                       attrs=DATE_WIDGET_ATTRS))
    file = forms.FileField(label=_("issued document"), required=False)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            _check_file(uploaded)
        return uploaded

    def clean(self):
        data = super().clean()
        if data.get("status") == OutputProgress.Status.ISSUED:
            if not data.get("issued_on"):
                self.add_error("issued_on", _("Give the date the document was issued."))
            if not (data.get("document_number") or "").strip():
                self.add_error("document_number", _("Give the number of the issued document."))
        return data


OutputProgressFormSet = forms.formset_factory(OutputProgressForm, extra=0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class EvidenceForm(forms.Form):
    files = MultipleFileField(
        label=_("Evidence files"), required=False,
        help_text=_("PDF, Word, Excel or images; several at once if needed."),
    )

    def clean_files(self):
        # Every file is checked before anything is stored, so a refused file leaves nothing behind.
        files = self.cleaned_data["files"]
        for uploaded in files:
            _check_file(uploaded)
        return files


class DecisionForm(forms.Form):
    """A leader's return comment, or the secretariat's reason for reopening."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MyTasksFilterForm(forms.Form):
    """Filters of the "my tasks this period" page (GET, kept in the URL)."""

    STATES = [("", _("All states")), ("not_started", _("No report yet")),
              *ProgressReport.State.choices]

    group = forms.ModelChoiceField(label=_("Task group"), required=False,
                                   queryset=TaskGroup.objects.select_related("resolution"),
                                   empty_label=_("All groups"))
    state = forms.ChoiceField(label=_("This period's report"), required=False, choices=STATES)
