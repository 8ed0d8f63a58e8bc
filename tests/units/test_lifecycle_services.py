"""A unit's life, through the services: existing on a date, rename, merge, split, dissolve,
waiting for the effective date, refusals."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import NotAllowed, Stale, WrongState
from tasks.models import Task
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.jobs import apply_unit_changes
from units.lifecycle.preview import unit_change_preview
from units.models import Unit, UnitAlias, UnitChange, User
from units.selectors import units_expected_to_report
from units.services import unit_change_record

from .lifecycle import DECISION, change

pytestmark = pytest.mark.django_db

PAST = date(2025, 3, 1)


@pytest.fixture
def planning(db):
    return UnitFactory(code="BKHDT", name="Bộ Kế hoạch và Đầu tư", short_name="Bộ KH&ĐT",
                       kind=Unit.Kind.MINISTRY)


@pytest.fixture
def finance(db):
    return UnitFactory(code="BTC", name="Bộ Tài chính", kind=Unit.Kind.MINISTRY)


def test_a_unit_exists_from_its_start_up_to_but_not_on_its_end(planning):
    planning.valid_from, planning.valid_to = date(2002, 1, 1), PAST
    planning.save()
    assert not planning.exists_on(date(2001, 12, 31))
    assert planning.exists_on(date(2002, 1, 1)) and planning.exists_on(date(2025, 2, 28))
    assert not planning.exists_on(PAST)
    assert list(Unit.objects.existing_on(date(2025, 2, 28))) == [planning]
    assert list(Unit.objects.existing_on(PAST)) == []


def test_a_unit_cannot_end_before_it_begins(planning):
    planning.valid_from, planning.valid_to = PAST, date(2025, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        planning.save()


def test_only_bodies_existing_on_the_date_are_expected_to_report(planning, finance):
    provinces = UnitFactory(code="TT-UBNDTINH", kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([planning, finance])
    planning.valid_to = PAST
    planning.save()
    assert set(units_expected_to_report(units=[provinces], on=date(2025, 2, 14))) == {
        planning, finance}
    assert units_expected_to_report(units=[provinces], on=date(2025, 3, 14)) == [finance]
    assert units_expected_to_report(units=[planning], on=date(2025, 3, 14)) == []


def test_a_merge_moves_open_tasks_and_users_and_keeps_the_history(
        planning, finance, secretariat, other_unit):
    led = TaskFactory(lead_unit=planning)
    helped = TaskFactory(lead_unit=other_unit, coordinating_units=[planning])
    done = TaskFactory(lead_unit=planning, completed_on=date(2025, 1, 20))
    untouched = TaskFactory(lead_unit=other_unit, coordinating_units=[other_unit])
    person = UserFactory(username="chuyenvien", unit=planning)
    designation = UnitFactory(code="TT-BONGANH", kind=Unit.Kind.COLLECTIVE)
    designation.members.set([planning])

    done_change = change(planning, UnitChange.Kind.MERGE, actor=secretariat, on=PAST,
                         successors=[finance])

    assert done_change.state == UnitChange.State.APPLIED
    planning.refresh_from_db()
    assert planning.valid_to == PAST and planning.name == "Bộ Kế hoạch và Đầu tư"
    assert Task.objects.get(pk=led.pk).lead_unit == finance
    assert list(Task.objects.get(pk=helped.pk).coordinating_units.all()) == [finance]
    assert Task.objects.get(pk=done.pk).lead_unit == planning  # completed: history
    assert Task.objects.get(pk=untouched.pk).lead_unit == other_unit
    assert User.objects.get(pk=person.pk).unit == finance
    assert set(designation.members.all()) == {planning, finance}
    aliases = {(a.text, a.kind) for a in UnitAlias.objects.filter(unit=finance)}
    assert aliases == {("Bộ Kế hoạch và Đầu tư", "old_name"), ("Bộ KH&ĐT", "old_name")}
    note = UnitAlias.objects.filter(unit=finance).first().note
    assert "01/03/2025" in note and "176/2025/QH15" in note
    assert done_change.assignments == {f"task-lead:{led.pk}": finance.pk,
                                       f"task-coordinating:{helped.pk}": finance.pk,
                                       f"user:{person.pk}": finance.pk}
    history = Task.objects.get(pk=led.pk).history.first()
    assert "176/2025/QH15" in history.history_change_reason
    assert history.history_user == secretariat


def test_a_coordinating_unit_that_merges_into_the_lead_only_leaves(planning, finance,
                                                                  secretariat):
    task = TaskFactory(lead_unit=finance, coordinating_units=[planning])
    change(planning, UnitChange.Kind.MERGE, actor=secretariat, on=PAST, successors=[finance])
    task.refresh_from_db()
    assert task.lead_unit == finance and list(task.coordinating_units.all()) == []


def test_a_split_names_who_takes_what_and_refuses_anything_left(planning, finance,
                                                               secretariat):
    home = UnitFactory(code="BNV", name="Bộ Nội vụ", kind=Unit.Kind.MINISTRY)
    first, second = TaskFactory(lead_unit=planning), TaskFactory(lead_unit=planning)
    person = UserFactory(username="cv", unit=planning)
    with pytest.raises(ValidationError) as refused:
        change(planning, UnitChange.Kind.SPLIT, actor=secretariat, on=PAST,
               successors=[finance, home], assignments={f"task-lead:{first.pk}": finance.pk})
    assert len(refused.value.message_dict["assignments"]) == 2  # the second task, the user
    assert UnitChange.objects.count() == 0

    change(planning, UnitChange.Kind.SPLIT, actor=secretariat, on=PAST,
           successors=[finance, home],
           assignments={f"task-lead:{first.pk}": finance.pk,
                        f"task-lead:{second.pk}": home.pk, f"user:{person.pk}": home.pk})
    assert Task.objects.get(pk=first.pk).lead_unit == finance
    assert Task.objects.get(pk=second.pk).lead_unit == home
    assert User.objects.get(pk=person.pk).unit == home
    alias = UnitAlias.objects.get(text="Bộ Kế hoạch và Đầu tư")
    assert alias.unit == finance and "Bộ Nội vụ" in alias.note


def test_a_split_preview_names_the_other_successors(planning, finance):
    home = UnitFactory(code="BNV", name="Bộ Nội vụ", kind=Unit.Kind.MINISTRY)
    preview = unit_change_preview(unit=planning, kind=UnitChange.Kind.SPLIT,
                                  successors=[finance, home], effective_on=PAST)
    assert any("Bộ Nội vụ" in note for note in preview.notes)
    assert preview.default_taker is None


def test_a_rename_keeps_the_unit_and_its_old_name_as_an_alias(planning, secretariat):
    task = TaskFactory(lead_unit=planning)
    change(planning, UnitChange.Kind.RENAME, actor=secretariat, on=PAST,
           new_name="Bộ Phát triển")
    planning.refresh_from_db()
    assert (planning.name, planning.valid_to) == ("Bộ Phát triển", None)
    assert Task.objects.get(pk=task.pk).lead_unit == planning
    assert UnitAlias.objects.get(unit=planning).text == "Bộ Kế hoạch và Đầu tư"


def test_a_dissolution_hands_each_thing_to_a_named_unit(planning, finance, secretariat):
    task = TaskFactory(lead_unit=planning)
    change(planning, UnitChange.Kind.DISSOLVE, actor=secretariat, on=PAST,
           assignments={f"task-lead:{task.pk}": finance.pk})
    assert Task.objects.get(pk=task.pk).lead_unit == finance
    planning.refresh_from_db()
    assert planning.valid_to == PAST and not UnitAlias.objects.exists()


def test_a_future_change_waits_for_its_day_then_the_job_applies_it(planning, finance,
                                                                  secretariat):
    today = timezone.localdate()
    task = TaskFactory(lead_unit=planning)
    waiting = change(planning, UnitChange.Kind.MERGE, actor=secretariat,
                     on=today + timedelta(days=3), successors=[finance])
    assert waiting.state == UnitChange.State.PLANNED
    assert Task.objects.get(pk=task.pk).lead_unit == planning
    with pytest.raises(WrongState):
        change(planning, UnitChange.Kind.RENAME, actor=secretariat, on=today, new_name="X")

    assert apply_unit_changes(on=(today + timedelta(days=2)).isoformat()) == {
        "applied": 0, "refused": 0}
    later = TaskFactory(lead_unit=planning)  # came after the change was recorded
    call_command("apply_unit_changes", "--date", (today + timedelta(days=3)).isoformat())
    assert {t.lead_unit for t in Task.objects.filter(pk__in=[task.pk, later.pk])} == {finance}
    assert UnitChange.objects.get().state == UnitChange.State.APPLIED
    assert apply_unit_changes(on=(today + timedelta(days=4)).isoformat())["applied"] == 0


def test_the_job_leaves_a_split_waiting_when_something_new_has_no_taker(planning, finance,
                                                                       secretariat):
    home = UnitFactory(code="BNV", kind=Unit.Kind.MINISTRY)
    day = timezone.localdate() + timedelta(days=1)
    change(planning, UnitChange.Kind.SPLIT, actor=secretariat, on=day, successors=[finance, home])
    TaskFactory(lead_unit=planning, title="Giao sau")
    assert apply_unit_changes(on=day.isoformat()) == {"applied": 0, "refused": 1}
    waiting = UnitChange.objects.get()
    assert waiting.state == UnitChange.State.PLANNED and "Giao sau" in waiting.problem
    assert Unit.objects.get(pk=planning.pk).valid_to is None


def test_refusals_wrong_role_stale_preview_ended_unit_bad_successors(planning, finance,
                                                                     secretariat, reporter):
    with pytest.raises(NotAllowed):
        change(planning, UnitChange.Kind.MERGE, actor=reporter, on=PAST, successors=[finance])
    preview = unit_change_preview(unit=planning, kind=UnitChange.Kind.MERGE,
                                  successors=[finance], effective_on=PAST)
    TaskFactory(lead_unit=planning)  # what it holds changed since the preview
    with pytest.raises(Stale):
        unit_change_record(unit=planning, kind=UnitChange.Kind.MERGE, effective_on=PAST,
                           successors=[finance], fingerprint=preview.fingerprint,
                           actor=secretariat, **DECISION)
    with pytest.raises(ValidationError) as refused:
        change(planning, UnitChange.Kind.MERGE, actor=secretariat, on=PAST,
               successors=[finance, secretariat.unit])
    assert "successors" in refused.value.message_dict
    with pytest.raises(ValidationError):
        change(planning, UnitChange.Kind.MERGE, actor=secretariat, on=PAST,
               successors=[finance], decision_number=" ")
    assert UnitChange.objects.count() == 0
    change(planning, UnitChange.Kind.MERGE, actor=secretariat, on=PAST, successors=[finance])
    with pytest.raises(WrongState):
        change(planning, UnitChange.Kind.DISSOLVE, actor=secretariat, on=PAST)
    with pytest.raises(ValidationError):  # an ended unit takes nothing
        change(UnitFactory(code="BXD"), UnitChange.Kind.MERGE, actor=secretariat,
               on=date(2025, 6, 1), successors=[planning])
