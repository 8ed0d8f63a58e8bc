"""The forms of the accountability screens: asking, answering, closing or withdrawing."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                      "inputmode": "numeric"})


class AskForm(forms.Form):
    message = forms.CharField(label=_("What the unit is to explain"), widget=forms.Textarea(
        attrs={"rows": 4}), max_length=4000)
    reply_by = forms.DateField(label=_("Answer by"), input_formats=["%d/%m/%Y"],
                               widget=DATE_INPUT, help_text=_("dd/mm/yyyy"))


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=4000)
    remedy = forms.CharField(label=_("Remedy"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=4000, help_text=_("What the unit is doing about it."))
    expected_on = forms.DateField(label=_("New expected date"), input_formats=["%d/%m/%Y"],
                                  widget=DATE_INPUT, help_text=_("dd/mm/yyyy"))


class EndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
