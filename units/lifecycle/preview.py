"""What a change of a unit would move, and to whom it may go: read before anything is written.

The preview lists, duty by duty, everything the unit holds on the effective date; the
secretariat then names who takes each holding. Its `fingerprint` is what the confirmation is
checked against: if the unit or what it holds changed since the preview was shown, nothing is
applied.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import dmy

from ..models import Unit, UnitChange
from .duties import Duty, Holding, duties


@dataclass
class Section:
    duty: Duty
    holdings: list[Holding]


@dataclass
class Preview:
    unit: Unit
    kind: str
    effective_on: date
    successors: list[Unit]
    #: The units that may take a holding: the successors (any unit existing on the date, for a
    #: dissolution).
    takers: list[Unit]
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def holdings(self) -> list[Holding]:
        return [holding for section in self.sections for holding in section.holdings]

    @property
    def default_taker(self) -> Unit | None:
        """The one unit that takes everything, when there is no choice (a merge)."""
        return self.successors[0] if self.kind == UnitChange.Kind.MERGE else None

    @property
    def fingerprint(self) -> str:
        parts = [str(self.unit.pk), self.unit.updated_at.isoformat(), self.unit.name,
                 str(self.unit.valid_to), *sorted(holding.key for holding in self.holdings)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def successors_checked(*, unit: Unit, kind: str, successors: list[Unit],
                       effective_on: date) -> list[Unit]:
    """The successors, refused (ValidationError on "successors") when they do not fit the
    kind: one for a merge, two or more for a split, none for a rename or a dissolution; each
    existing on the effective date, not the unit itself nor under it, not a designation."""
    successors = list(dict.fromkeys(successors))
    wanted = {UnitChange.Kind.MERGE: (1, 1), UnitChange.Kind.SPLIT: (2, None)}.get(kind, (0, 0))
    low, high = wanted
    if len(successors) < low or (high is not None and len(successors) > high):
        message = {UnitChange.Kind.MERGE: _("A merge names exactly one successor."),
                   UnitChange.Kind.SPLIT: _("A split names at least two successors.")}.get(
            kind, _("This kind of change has no successor."))
        raise ValidationError({"successors": message})
    for successor in successors:
        if successor.path.startswith(unit.path):
            raise ValidationError({"successors": _(
                "%(unit)s cannot succeed the unit: it is the unit itself or under it.")
                % {"unit": successor.display_name}})
        if successor.is_collective or not successor.exists_on(effective_on):
            raise ValidationError({"successors": _(
                "%(unit)s does not exist on %(date)s as a body, so it cannot take the work.")
                % {"unit": successor.display_name, "date": dmy(effective_on)}})
    return successors


def unit_change_preview(*, unit: Unit, kind: str, successors: list[Unit],
                        effective_on: date) -> Preview:
    """Everything the change would move, duty by duty (nothing for a rename), who may take it,
    and notes on the unit's former name. A fixed number of queries per duty."""
    successors = successors_checked(unit=unit, kind=kind, successors=successors,
                                    effective_on=effective_on)
    if kind == UnitChange.Kind.DISSOLVE:
        takers = list(Unit.objects.existing_on(effective_on).exclude(path__startswith=unit.path)
                      .exclude(kind=Unit.Kind.COLLECTIVE).order_by("path"))
    else:
        takers = successors
    preview = Preview(unit=unit, kind=kind, effective_on=effective_on, successors=successors,
                      takers=takers)
    if kind == UnitChange.Kind.RENAME:
        preview.notes.append(_("Nothing moves; the present name is kept as a former name of "
                               "the unit."))
        return preview
    for duty in duties():
        preview.sections.append(Section(duty=duty, holdings=list(duty.holdings(unit,
                                                                               effective_on))))
    if successors:
        preview.notes.append(_("“%(name)s” will be read as %(successor)s (a former name).")
                             % {"name": unit.name, "successor": successors[0].display_name})
    if kind == UnitChange.Kind.SPLIT:
        preview.notes.append(_("The other successors: %(units)s. Name who takes each thing "
                               "below.") % {"units": ", ".join(s.display_name
                                                              for s in successors[1:])})
    if kind == UnitChange.Kind.DISSOLVE:
        preview.notes.append(_("A dissolved unit has no successor: name the unit that takes "
                               "each thing below."))
    return preview
