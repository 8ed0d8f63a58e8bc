"""Passing the open tasks of a unit that ends to the units that take them."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from core.text import dmy

from ..models import Task


@transaction.atomic
def tasks_pass_to_successor(moves: dict, change, actor) -> None:
    """For each "task-lead:<id>" in `moves`, make its unit the task's lead (it stops
    coordinating the task if it did); for each "task-coordinating:<id>", replace the ended unit
    among the coordinating units (unless the taker already leads the task). Each task's history
    records the decision."""
    old = change.unit_id
    reason = _("Unit change: %(name)s, decision %(number)s of %(date)s") % {
        "name": change.old_name, "number": change.decision_number,
        "date": dmy(change.decision_date)}
    wanted: dict[int, dict] = {}
    for key, unit in moves.items():
        role, pk = key.split(":")
        wanted.setdefault(int(pk), {})[role] = unit
    tasks = Task.objects.select_for_update(no_key=True).filter(pk__in=wanted).prefetch_related(
        "coordinating_units")
    for task in tasks:
        roles = wanted[task.pk]
        coordinating = {unit.pk for unit in task.coordinating_units.all()}
        lead = roles.get("task-lead")
        if lead is not None and task.lead_unit_id == old:
            task.lead_unit = lead
            coordinating.discard(lead.pk)
        taker = roles.get("task-coordinating")
        if taker is not None and old in coordinating:
            coordinating.discard(old)
            if taker.pk != task.lead_unit_id:
                coordinating.add(taker.pk)
        task.coordinating_units.set(coordinating)
        audited(task, actor, reason).save()
