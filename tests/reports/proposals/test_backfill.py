"""Migration 0015: reports approved before the register existed get their items, once, without
notifications; its reverse removes only the untouched ones."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.utils import timezone

from reports.models import Proposal
from tests.factories import ProgressReportFactory
from units.models import Notification

migration = importlib.import_module("reports.migrations.0017_proposals_data_version_and_backfill")
NO_TRIGGERS = SimpleNamespace(connection=SimpleNamespace(vendor="other"))


def test_old_approved_reports_get_their_items_once(task, period, reporter, leader, db):
    decided = timezone.now()
    old = ProgressReportFactory(task=task, period=period, created_by=reporter, state="approved",
                                submitted_by=reporter, submitted_at=decided, decided_by=leader,
                                decided_at=decided, difficulties="1. Một\n2. Hai",
                                proposals="Đề nghị ba")
    ProgressReportFactory(task=task, period__month=10, created_by=reporter,
                          difficulties="Bản nháp: không tính")
    migration.forwards(apps, NO_TRIGGERS)
    migration.forwards(apps, NO_TRIGGERS)
    items = Proposal.objects.order_by("kind", "position")
    assert [(i.report_id, i.kind, i.text) for i in items] == [
        (old.pk, "difficulty", "Một"), (old.pk, "difficulty", "Hai"),
        (old.pk, "proposal", "Đề nghị ba")]
    assert {i.received_at for i in items} == {decided}
    assert not Notification.objects.exists()
    Proposal.objects.filter(text="Hai").update(state="handling", version=2)
    migration.backwards(apps, NO_TRIGGERS)
    assert list(Proposal.objects.values_list("text", flat=True)) == ["Hai"]
