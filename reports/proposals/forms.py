"""The forms of an item's page: one per step, each carrying the version the editor read."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from ..evidence import evidence_validate
from ..forms import DATE_WIDGET_ATTRS
from ..models import Proposal


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's refusal beside the fields it names (else above the form)."""
        items = error.message_dict.items() if hasattr(error, "error_dict") else [
            (None, error.messages)]
        for name, messages in items:
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AddressForm(StepForm):
    addressee_kind = forms.ChoiceField(label=_("Addressed to"), widget=forms.RadioSelect,
                                       choices=Proposal.AddresseeKind.choices)
    unit = _UnitChoice(label=_("Unit that must act"), required=False,
                       queryset=Unit.objects.filter(is_active=True)
                       .exclude(kind=Unit.Kind.COLLECTIVE).order_by("path"))
    authority = forms.ChoiceField(label=_("Authority"), required=False,
                                  choices=[("", "—"), *Proposal.Authority.choices])
    authority_name = forms.CharField(label=_("Name of the authority"), max_length=255,
                                     required=False, help_text=_(
                                         "For a ministry or another authority, e.g. Bộ Tài chính."))


class SplitForm(StepForm):
    texts = forms.CharField(label=_("Parts, one a line"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("Each line becomes an item addressed as this one is."))

    def clean_texts(self):
        return [line for line in self.cleaned_data["texts"].splitlines() if line.strip()]


class NoteForm(StepForm):
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(StepForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    document_number = forms.CharField(label=_("Answering document number"), max_length=100,
                                      required=False)
    document_date = forms.DateField(label=_("Answering document date"), required=False,
                                    input_formats=["%d/%m/%Y"],
                                    widget=forms.DateInput(format="%d/%m/%Y",
                                                           attrs=DATE_WIDGET_ATTRS))
    link = forms.URLField(label=_("Link to the answering document"), max_length=500,
                          assume_scheme="https",
                          required=False)
    file = forms.FileField(label=_("Answering document (file)"), required=False)

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            try:
                evidence_validate(uploaded=uploaded)
            except ValidationError as error:
                raise ValidationError(list(error.messages)) from error
        return uploaded


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(StepForm):
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Needed when the item was not answered."))
