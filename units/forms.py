from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Notification


class EmailPreferencesForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        label=_("Send me an email for"), required=False, choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification also appears here, under the bell."),
    )
