"""A unit's life: recording a rename, merge, split or dissolution, and applying it on its day.

A change is recorded from a preview the secretariat confirmed: if the unit or what it holds
changed since, nothing is written (`Stale`). A change whose effective date is today or past is
applied at once; one dated in the future is applied by the `units.apply_unit_changes` job on
that day (early morning). Applying moves every holding to the unit named for it and refuses, as
a whole, when anything would be left without a successor: nothing is dropped silently. Completed
tasks and progress reports stay with the unit that ended (its history).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.errors import NotAllowed, Stale, WrongState
from core.text import dmy

from ..lifecycle.preview import Preview, unit_change_preview
from ..models import Unit, UnitAlias, UnitChange, UnitSuccession, User
from ..permissions import is_programme_office


def _decision(change: UnitChange) -> str:
    return _("decision %(number)s of %(date)s") % {"number": change.decision_number,
                                                    "date": dmy(change.decision_date)}


def _takers_of(preview: Preview, assignments: dict) -> dict[str, Unit]:
    """{holding key: the unit that takes it}, refused (ValidationError on "assignments",
    naming each holding) when a holding has no taker or one that may not take it."""
    takers = {unit.pk: unit for unit in preview.takers}
    default = preview.default_taker
    chosen, missing = {}, []
    for holding in preview.holdings:
        raw = assignments.get(holding.key)
        taker = takers.get(int(raw)) if str(raw or "").isdigit() else default
        if taker is None:
            missing.append(holding.label)
        else:
            chosen[holding.key] = taker
    if missing:
        raise ValidationError({"assignments": [
            _("No successor is named for: %(what)s.") % {"what": label} for label in missing]})
    return chosen


@transaction.atomic
def unit_change_record(*, unit: Unit, kind: str, effective_on: date, decision_number: str,
                       decision_date: date, actor: User, decision_text: str = "",
                       new_name: str = "", successors: list[Unit] | tuple = (),
                       assignments: dict | None = None, fingerprint: str = "") -> UnitChange:
    """Record a change of `unit` as the secretariat confirmed it from its preview, and apply it
    at once when its effective date is today or past.

    Refuses NotAllowed for anyone but the programme office; WrongState when the unit has ended or
    already has a change waiting; Stale when the unit or what it holds changed since the preview
    (`fingerprint`); ValidationError for a missing decision, a rename without a new name,
    successors that do not fit the kind, or anything held left without a successor.
    """
    if not is_programme_office(actor):
        raise NotAllowed()
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.valid_to is not None:
        raise WrongState(_("This unit ended on %(date)s: it cannot change any more.")
                         % {"date": dmy(unit.valid_to)})
    if unit.changes.filter(state=UnitChange.State.PLANNED).exists():
        raise WrongState(_("A change of this unit is already waiting for its effective date."))
    if kind not in UnitChange.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of change.")})
    errors = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Give the number of the decision that ordered it.")
    new_name = new_name.strip()
    if kind == UnitChange.Kind.RENAME and (not new_name or new_name == unit.name):
        errors["new_name"] = _("Give the new name (different from the present one).")
    if unit.valid_from and effective_on <= unit.valid_from:
        errors["effective_on"] = _("The unit only exists from %(date)s.") % {
            "date": dmy(unit.valid_from)}
    if errors:
        raise ValidationError(errors)
    preview = unit_change_preview(unit=unit, kind=kind, successors=list(successors),
                                  effective_on=effective_on)
    if preview.fingerprint != fingerprint:
        raise Stale(unit, _("The unit, or what it holds, changed since the preview was shown. "
                            "Look at the new preview and confirm again; nothing was saved."))
    chosen = _takers_of(preview, assignments or {})
    change = UnitChange(unit=unit, kind=kind, effective_on=effective_on,
                        decision_number=decision_number.strip(), decision_date=decision_date,
                        decision_text=decision_text.strip(), old_name=unit.name,
                        new_name=new_name if kind == UnitChange.Kind.RENAME else "",
                        assignments={key: taker.pk for key, taker in chosen.items()},
                        created_by=actor)
    change.full_clean(exclude=["successors"])
    audited(change, actor, _("Unit change recorded")).save()
    UnitSuccession.objects.bulk_create([
        UnitSuccession(change=change, unit=successor, position=position)
        for position, successor in enumerate(preview.successors)])
    if effective_on <= timezone.localdate():
        change = unit_change_apply(change=change, actor=actor)
    return change


def _add_former_name(*, unit: Unit, text: str, note: str, actor) -> None:
    if not text.strip():
        return
    alias = UnitAlias(unit=unit, text=text, kind=UnitAlias.Kind.OLD_NAME, note=note[:255])
    alias.clean()
    if not UnitAlias.objects.filter(unit=unit, key=alias.key).exists():
        audited(alias, actor, _("Former name recorded")).save()


@transaction.atomic
def unit_change_apply(*, change: UnitChange, actor: User) -> UnitChange:
    """Apply a recorded change: rename the unit, or end it on the effective date and pass what
    it holds to the units named for each holding (a merge: all to the successor). Idempotent.

    Refuses, writing nothing, with a ValidationError naming each holding that has no taker (a
    task or user that came to the unit after the change was recorded, for a split or a
    dissolution).
    """
    change = UnitChange.objects.select_for_update().get(pk=change.pk)
    if change.state == UnitChange.State.APPLIED:
        return change
    unit = Unit.objects.select_for_update().get(pk=change.unit_id)
    successors = [row.unit for row in change.succession.select_related("unit")]
    decision = _decision(change)
    if change.kind == UnitChange.Kind.RENAME:
        _add_former_name(unit=unit, text=unit.name, actor=actor, note=_(
            "Name until %(date)s (%(decision)s).") % {"date": dmy(change.effective_on),
                                                       "decision": decision})
        unit.name = change.new_name
        audited(unit, actor, _("Renamed by %(decision)s") % {"decision": decision}).save()
    else:
        preview = unit_change_preview(unit=unit, kind=change.kind, successors=successors,
                                      effective_on=change.effective_on)
        chosen = _takers_of(preview, change.assignments)
        for section in preview.sections:
            moves = {h.key: chosen[h.key] for h in section.holdings}
            if moves:
                section.duty.move(moves, change, actor)
        for designation in unit.designations.all():
            designation.members.add(*successors)
        unit.valid_to = change.effective_on
        audited(unit, actor, _("Ended by %(decision)s") % {"decision": decision}).save()
        if successors:
            note = _("%(name)s ended on %(date)s (%(decision)s); its work passed to "
                     "%(successors)s.") % {
                "name": unit.name, "date": dmy(change.effective_on), "decision": decision,
                "successors": ", ".join(s.name for s in successors)}
            for text in (unit.name, unit.short_name):
                _add_former_name(unit=successors[0], text=text, note=note, actor=actor)
        change.assignments = {key: taker.pk for key, taker in chosen.items()}
    change.state = UnitChange.State.APPLIED
    change.applied_at = timezone.now()
    change.problem = ""
    audited(change, actor, _("Unit change applied")).save()
    return change


def unit_change_note_problem(*, change: UnitChange, problem: str) -> None:
    """Keep on a waiting change why it could not be applied (shown on the unit's page)."""
    UnitChange.objects.filter(pk=change.pk, state=UnitChange.State.PLANNED).update(
        problem=problem)


# --- The units app's own duties: its users and the units under it ------------------------------

def unit_users_pass_on(moves: dict[str, Unit], change: UnitChange, actor) -> None:
    """Move each user named in `moves` ("user:<id>") to the unit that takes them."""
    ids = {int(key.split(":")[1]): unit for key, unit in moves.items()}
    for user in User.objects.filter(pk__in=ids, unit_id=change.unit_id):
        user.unit = ids[user.pk]
        audited(user, actor, _decision(change)).save(update_fields=["unit"])


def unit_children_pass_on(moves: dict[str, Unit], change: UnitChange, actor) -> None:
    """Place each unit under the ended one ("unit:<id>") under the unit that takes it."""
    ids = {int(key.split(":")[1]): unit for key, unit in moves.items()}
    for child in Unit.objects.filter(pk__in=ids, parent_id=change.unit_id):
        child.parent = ids[child.pk]
        audited(child, actor, _("Moved by %(decision)s") % {"decision": _decision(change)}).save()
