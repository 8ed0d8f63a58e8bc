"""seed_demo: the demo a newcomer meets with `make run`."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from reports.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load
from reports.models import ProgressReport
from tasks.models import Resolution, Task
from units.models import Unit, UnitAlias, User


def test_the_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_reference_data_loads_once(db):
    call_command("seed_reference")
    counts = Unit.objects.count(), Resolution.objects.count()
    call_command("seed_reference")
    assert (Unit.objects.count(), Resolution.objects.count()) == counts
    programme = Resolution.objects.get(number="282/NQ-CP")
    assert programme.implements.number == "72-NQ/TW"
    assert programme.groups.count() == 6
    assert set(Unit.objects.get(code="TT-UBNDTINH").members.values_list("kind", flat=True)) == {
        "province"}


def test_the_demo_loads_once_with_an_account_per_role_and_months_of_reports(db):
    first = demo_load(today=date(2026, 1, 20))
    assert first.tasks == 18 and first.reports > 0
    counts = Task.objects.count(), ProgressReport.objects.count(), User.objects.count()

    second = demo_load(today=date(2026, 1, 20))

    assert (second.tasks, second.reports, second.users) == (0, 0, 0)
    assert (Task.objects.count(), ProgressReport.objects.count(), User.objects.count()) == counts
    for username, (_name, role, unit_code) in DEMO_ACCOUNTS.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.role == role, username
        assert (user.unit.code if user.unit else None) == unit_code
    # past periods are approved; the current one holds every state a user meets
    states = set(ProgressReport.objects.filter(period__month=2).values_list("state", flat=True))
    assert {"draft", "submitted", "approved", "returned"} <= states
    assert not ProgressReport.objects.filter(period__month=1).exclude(state="approved").exists()
    # the history's notifications are old news: only this period's workflow is unread
    from units.models import Notification
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.exists()
    assert all("/2026-02/" in n.link for n in unread)
    # approved "completed" reports of lead units completed their tasks
    assert Task.objects.get(code="2.1").completed_on == date(2025, 10, 28)
    # the reference data under the demo is what seed_reference loads: it changes nothing
    history = Unit.history.count(), UnitAlias.history.count()
    out = StringIO()
    call_command("seed_reference", stdout=out)
    assert "Units: 0 created, 0 updated, 0 skipped" in out.getvalue()
    assert (Unit.history.count(), UnitAlias.history.count()) == history
