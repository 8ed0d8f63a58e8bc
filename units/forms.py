from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Notification, Unit, UnitChange


class EmailPreferencesForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        label=_("Send me an email for"), required=False, choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification also appears here, under the bell."),
    )


DMY_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                      "inputmode": "numeric",
                                                      "autocomplete": "off"})


def _dmy_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%d/%m/%Y"], widget=DMY_INPUT,
                           error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
                           **kwargs)


class UnitTreeDateForm(forms.Form):
    """The date a unit list shows the tree on (?on=dd/mm/yyyy); empty: every unit ever."""

    on = _dmy_field(_("Units existing on"), required=False)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class _UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class UnitChangeForm(forms.Form):
    """A rename, merge, split or dissolution as the secretariat types it (the rules are in
    units.services.lifecycle; this only parses)."""

    kind = forms.ChoiceField(label=_("Change"), choices=UnitChange.Kind.choices)
    effective_on = _dmy_field(_("Effective date"),
                              help_text=_("A date in the future is applied on that day."))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = _dmy_field(_("Decision date"))
    decision_text = forms.CharField(label=_("Decision (text or summary)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    new_name = forms.CharField(label=_("New name"), max_length=255, required=False,
                               help_text=_("For a rename."))
    successor = _UnitChoice(label=_("Successor"), required=False, queryset=Unit.objects.none(),
                            help_text=_("For a merge: the unit it merges into; for a split: "
                                        "the main successor, which its name is read as."))
    other_successors = _UnitsChoice(label=_("Other successors"), required=False,
                                    queryset=Unit.objects.none(),
                                    help_text=_("For a split: the other units that take part "
                                                "of its work."))

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = (Unit.objects.filter(valid_to__isnull=True)
                      .exclude(kind=Unit.Kind.COLLECTIVE).exclude(path__startswith=unit.path)
                      .order_by("path"))
        self.fields["successor"].queryset = candidates
        self.fields["other_successors"].queryset = candidates

    @property
    def successors(self) -> list[Unit]:
        data = self.cleaned_data
        main = [data["successor"]] if data.get("successor") else []
        return main + [u for u in data.get("other_successors") or [] if u not in main]

    def apply_errors(self, error: ValidationError) -> None:
        """Put a service's refusal beside the fields it names (else above the form)."""
        items = error.message_dict.items() if hasattr(error, "error_dict") else [
            (None, error.messages)]
        for name, messages in items:
            field = "successor" if name == "successors" else name
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
