"""Every write to indicator values: the workflow of progress reports, for figures.

draft → submitted → approved (locked) or returned (with a comment); the programme secretariat
reopens an approved value with a reason (the approved value stays in the history). Each step
checks the actor's permission (indicators.permissions), records who and when, and leaves an
audit record. A refusal is NotAllowed, WrongState or StaleValueError (a Stale); input that is not
valid, ValidationError.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from core.errors import Stale
from units.models import Notification, User
from units.notifications import notify

from .. import permissions
from ..models import Indicator, IndicatorValue
from ..periods import period_end_of, period_is_valid, period_label

#: What an editor types into a value.
VALUE_FIELDS = frozenset({"value", "is_final", "source_note", "evidence_link", "evidence_note"})

_WRITE_REFUSED = gettext_lazy("You may not enter this unit's figures.")

SUBMITTED_SUBJECT = gettext_lazy("Figure to approve: %(indicator)s · %(period)s")
SUBMITTED_BODY = gettext_lazy("%(actor)s submitted the figure of indicator %(indicator)s for "
                              "%(period)s. It awaits your approval.")
RETURNED_SUBJECT = gettext_lazy("Figure returned for correction: %(indicator)s · %(period)s")
RETURNED_BODY = gettext_lazy("%(actor)s returned the figure of indicator %(indicator)s for "
                             "%(period)s for correction. Comment: %(comment)s")


class StaleValueError(Stale):
    """The value changed since the editor loaded it; `current` is the value as it now stands."""

    def __init__(self, current: IndicatorValue):
        super().__init__(current, _("This figure was changed by someone else since you opened "
                                    "it. Compare it with yours below; nothing of yours was "
                                    "saved."))


def _notify(value: IndicatorValue, actor, recipients, *, key: str, subject, body,
            **params) -> None:
    notify(recipients=[u for u in recipients if u is not None and u.pk != actor.pk],
           kind=Notification.Kind.INDICATOR_WORKFLOW, key=key, subject=subject, body=body,
           link=reverse("indicators:value", args=[value.pk]),
           params={"actor": str(actor), "indicator": value.indicator.code,
                   "period": period_label(value.indicator.frequency, value.period_end),
                   **params})


def _lock(value: IndicatorValue, actor, step, expected_version: int | None,
          refused=None) -> IndicatorValue:
    locked = (IndicatorValue.objects.select_related("indicator__responsible_unit", "unit")
              .select_for_update(of=("self",)).get(pk=value.pk))
    permissions.value_step_check(step, actor, locked, refused=refused)
    if expected_version is not None and locked.version != expected_version:
        raise StaleValueError(locked)
    return locked


def _save(value: IndicatorValue, actor, reason: str) -> IndicatorValue:
    value.version += 1
    audited(value, actor, reason).save()
    return value


def _check_unit(indicator: Indicator, unit) -> None:
    if unit is not None and not indicator.breakdown_units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("This unit does not report its own value of this "
                                         "indicator.")})


def _check_content(value: IndicatorValue) -> None:
    errors = {}
    if value.value is None:
        errors["value"] = _("Give the value.")
    if not period_is_valid(value.indicator.frequency, value.period_end):
        errors["period"] = _("This is not a period the indicator is measured in.")
    elif value.period_end > period_end_of(value.indicator.frequency, timezone.localdate()):
        errors["period"] = _("This period has not begun: it cannot have a figure yet.")
    link = value.evidence_link
    if link and (not link.lower().startswith(("http://", "https://")) or any(
            char.isspace() for char in link)):
        # Shown as a link on the value's page: nothing but a web address may be followed.
        errors["evidence_link"] = _("Give an http(s) address, or nothing.")
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class ValueSaved:
    """What indicator_value_save did: the value as saved and, when it was to be submitted but
    could not be yet, why not (it was saved as a draft all the same)."""

    value: IndicatorValue
    submit_errors: ValidationError | None = None


@transaction.atomic
def indicator_value_save(*, actor, indicator: Indicator, unit, period_end: date,
                         expected_version: int | None, fields: dict,
                         submit: bool = False) -> ValueSaved:
    """Create or change, as a draft, the value of `indicator` for the period ending `period_end`
    (`unit` None: the national figure), then submit it when `submit`.

    `expected_version` is the version the editor read (0 for a value they saw as not yet
    entered): if the value changed since, nothing is written (StaleValueError).
    """
    unknown = fields.keys() - VALUE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _check_unit(indicator, unit)
    value = IndicatorValue.objects.filter(indicator=indicator, unit=unit,
                                          period_end=period_end).first()
    if value is None:
        value = IndicatorValue(indicator=indicator, unit=unit, period_end=period_end,
                               created_by=actor)
        permissions.value_step_check(permissions.EDIT, actor, value, refused=_WRITE_REFUSED)
        if expected_version not in (None, 0):
            raise ValidationError(_("This figure no longer exists."))
    else:
        value = _lock(value, actor, permissions.EDIT, expected_version, _WRITE_REFUSED)
    for name, given in fields.items():
        setattr(value, name, given.strip() if isinstance(given, str) else given)
    _check_content(value)
    if value.pk is None:
        audited(value, actor, _("Draft created")).save()
    else:
        _save(value, actor, _("Draft saved"))
    if not submit:
        return ValueSaved(value)
    try:
        with transaction.atomic():
            return ValueSaved(indicator_value_submit(value=value, actor=actor))
    except ValidationError as error:
        return ValueSaved(value, submit_errors=error)


def _leaders_over(unit):
    return User.objects.filter(role=User.Role.LEADER, is_active=True,
                               unit_id__in=unit.ancestor_ids)


@transaction.atomic
def indicator_value_submit(*, value: IndicatorValue, actor,
                           expected_version: int | None = None) -> IndicatorValue:
    """Send a draft or returned value to the reporting unit's leader; it needs its source."""
    value = _lock(value, actor, permissions.SUBMIT, expected_version, _WRITE_REFUSED)
    if not value.source_note.strip():
        raise ValidationError({"source_note": _("Say where the figure comes from.")})
    value.state = IndicatorValue.State.SUBMITTED
    value.submitted_by, value.submitted_at = actor, timezone.now()
    _save(value, actor, _("Submitted"))
    _notify(value, actor, _leaders_over(value.reporting_unit),
            key=f"indicator-value-submitted:{value.pk}:{value.version}",
            subject=SUBMITTED_SUBJECT, body=SUBMITTED_BODY)
    return value


@transaction.atomic
def indicator_value_approve(*, value: IndicatorValue, actor,
                            expected_version: int | None = None) -> IndicatorValue:
    """Approve and lock a submitted value: from now on it counts in the track status."""
    value = _lock(value, actor, permissions.DECIDE, expected_version,
                  _("You may not approve this figure."))
    value.state = IndicatorValue.State.APPROVED
    value.decided_by, value.decided_at = actor, timezone.now()
    value.return_comment = ""
    return _save(value, actor, _("Approved"))


@transaction.atomic
def indicator_value_return(*, value: IndicatorValue, actor, comment: str,
                           expected_version: int | None = None) -> IndicatorValue:
    """Send a submitted value back with the leader's comment."""
    value = _lock(value, actor, permissions.DECIDE, expected_version,
                  _("You may not return this figure."))
    if not comment.strip():
        raise ValidationError({"return_comment": _("Say what must be corrected.")})
    value.state = IndicatorValue.State.RETURNED
    value.decided_by, value.decided_at = actor, timezone.now()
    value.return_comment = comment.strip()
    _save(value, actor, _("Returned: %(comment)s") % {"comment": value.return_comment})
    _notify(value, actor, [value.submitted_by, value.created_by],
            key=f"indicator-value-returned:{value.pk}:{value.version}",
            subject=RETURNED_SUBJECT, body=RETURNED_BODY, comment=value.return_comment)
    return value


@transaction.atomic
def indicator_value_reopen(*, value: IndicatorValue, actor, reason: str,
                           expected_version: int | None = None) -> IndicatorValue:
    """Reopen an approved value for a revision; the approved one stays in its history (and
    counts no more until the revision is approved)."""
    value = _lock(value, actor, permissions.REOPEN, expected_version,
                  _("You may not reopen this figure."))
    if not reason.strip():
        raise ValidationError({"reopen_reason": _("Give the reason for reopening.")})
    value.state = IndicatorValue.State.DRAFT
    value.reopen_reason = reason.strip()
    return _save(value, actor, _("Reopened: %(reason)s") % {"reason": value.reopen_reason})
