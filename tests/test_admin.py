"""The admin works for every model: list (with search and filters), add, change, history."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accountability.models import ExplanationRequest
from tests.factories import OutputFactory, ProgressReportFactory, UserFactory
from units.models import User


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="root", role=User.Role.ADMIN, unit=None,
                       is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_model_of_the_apps_is_in_the_admin():
    registered = {model._meta.label for model in admin.site._registry}
    expected = {"units.Unit", "units.User", "tasks.Resolution", "tasks.TaskGroup", "tasks.Task",
                "tasks.Output", "tasks.DeadlineChange", "reports.ReportingPeriod",
                "reports.ProgressReport", "reports.EvidenceFile", "webhooks.WebhookSubscription",
                "webhooks.WebhookDelivery", "accountability.ExplanationRequest"}
    assert expected <= registered


def test_every_admin_page_opens(admin_client):
    report = ProgressReportFactory()
    OutputFactory(task=report.task, document_number="15/2025/TT-BYT",
                  issued_on=report.period.ends_on)
    ExplanationRequest.objects.create(
        kind="missing_report", unit=report.unit, task=report.task, period=report.period,
        message="Đề nghị giải trình.", reply_by=report.period.ends_on,
        requested_by=report.created_by, requested_at=timezone.now())
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"core", "units", "tasks", "reports", "webhooks",
                                         "accountability"}:
            continue
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert admin_client.get(changelist).status_code == 200, changelist
        assert admin_client.get(changelist, {"q": "Bộ"}).status_code == 200, changelist
        # The add page opens, or is refused where rows are only made by services.
        response = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
        assert response.status_code in (200, 403), model
        obj = model.objects.first()
        if obj is not None:
            change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            assert admin_client.get(change).status_code == 200, change
            if hasattr(model_admin, "history_view"):
                history = reverse("admin:{}_{}_history".format(*info), args=[obj.pk])
                assert admin_client.get(history).status_code == 200, history


def test_a_reporter_cannot_open_the_admin(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("admin:tasks_task_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("changelist", ["admin:tasks_task_changelist",
                                        "admin:reports_progressreport_changelist",
                                        "admin:units_unit_changelist"])
def test_admin_lists_take_the_same_queries_for_3_rows_and_30(admin_client, changelist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(reverse(changelist)).status_code == 200
        return len(context.captured_queries)

    for _ in range(3):
        ProgressReportFactory()
    small = count()
    for _ in range(27):
        ProgressReportFactory()
    assert count() == small
