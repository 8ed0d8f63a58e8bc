"""Notifications: once per person and event, in each person's language, emailed to those who
want it, and never lost when the broker is down."""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy, override

from config.celery_app import app
from tests.factories import UserFactory
from units.jobs import send_notification_emails
from units.models import Notification
from units.notifications import email_preferences_set, notify

SUBJECT = gettext_lazy("Overdue tasks")  # an existing msgid, so both languages render
BODY = gettext_lazy("Task %(code)s needs attention.")


def _notify(users, key="event-1"):
    return notify(recipients=users, kind=Notification.Kind.OVERDUE, key=key, subject=SUBJECT,
                  body=BODY, params={"code": "2.5"}, link="/tasks/1/")


@pytest.fixture
def people(department):
    return [UserFactory(username="lan", email="lan@example.gov.vn", unit=department,
                        language="vi"),
            UserFactory(username="anna", email="anna@example.org", unit=department,
                        language="en")]


def test_each_person_is_notified_once_per_event_in_their_language(people, db,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(people) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(people) == 0
        send_notification_emails()
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    english = Notification.objects.get(recipient__username="anna")
    vietnamese = Notification.objects.get(recipient__username="lan")
    assert english.subject == "Overdue tasks"
    with override("vi"):
        assert vietnamese.subject == str(SUBJECT)
    assert vietnamese.subject != english.subject
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["anna@example.org"].subject == "Overdue tasks"
    assert "/tasks/1/" in sent["anna@example.org"].body
    assert sent["anna@example.org"].extra_headers["Message-ID"].startswith("<notification-")


def test_an_opted_out_kind_is_shown_but_not_emailed(people, django_capture_on_commit_callbacks):
    email_preferences_set(user=people[1], emailed_kinds=[Notification.Kind.ESCALATION])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(people)
    assert Notification.objects.filter(recipient=people[1]).exists()
    assert [message.to for message in mail.outbox] == [["lan@example.gov.vn"]]


def test_inactive_users_and_users_without_email(department, django_capture_on_commit_callbacks):
    gone = UserFactory(username="gone", email="gone@example.org", unit=department,
                       is_active=False)
    no_mail = UserFactory(username="nomail", email="", unit=department)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([gone, no_mail])
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["nomail"]
    assert mail.outbox == []


def test_the_bell_counts_unread_and_the_list_marks_them_read(client, people):
    _notify(people)
    _notify(people, key="event-2")
    client.force_login(people[1])
    page = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">2<' in page
    notification = Notification.objects.filter(recipient=people[1]).first()
    response = client.post(reverse("notification_read"),
                           {"id": notification.pk, "next": notification.link})
    assert response["Location"] == "/tasks/1/"
    assert 'id="unread-count">1<' in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notification_read"))
    assert "unread-count" not in client.get(reverse("notifications")).content.decode()
    # nobody else's notifications are touched
    assert Notification.objects.filter(recipient=people[0], read_at__isnull=True).count() == 2


def test_the_bell_is_a_drawn_icon_with_a_name(client, people):
    """No emoji font needed: the bell is an SVG drawn in the page, hidden from screen readers,
    and the link says what it is and how many are unread."""
    _notify(people)
    client.force_login(people[1])
    page = client.get(reverse("home")).content.decode()
    bell = re.search(r'<a class="bell"[^>]*>(.*?)</a>', page, re.S)
    assert 'aria-label="Thông báo, 1 chưa đọc"' in bell[0]
    assert bell[1].startswith('<svg class="icon"') and 'aria-hidden="true"' in bell[1]
    assert "\U0001f514" not in page and "&#128276;" not in page


def test_a_link_to_another_site_is_not_followed(client, people):
    _notify(people)
    client.force_login(people[1])
    response = client.post(reverse("notification_read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications")


def test_email_preferences_page_saves_the_choice(client, people):
    client.force_login(people[1])
    response = client.post(reverse("email_preferences"),
                           {"emailed": [Notification.Kind.DEADLINE_REMINDER]})
    assert response.status_code == 302
    opted_out = set(people[1].email_opt_outs.values_list("kind", flat=True))
    assert opted_out == set(Notification.Kind.values) - {Notification.Kind.DEADLINE_REMINDER}


def test_the_notification_list_takes_the_same_queries_for_3_and_30(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people[1])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("notifications")).status_code == 200
        return len(context.captured_queries)

    for n in range(3):
        _notify(people, key=f"small-{n}")
    count()  # the navigation's count of what waits is kept from then on (reports.waiting)
    small = count()
    for n in range(27):
        _notify(people, key=f"large-{n}")
    assert count() == small


@pytest.fixture
def broker_down():
    """The real app, pointed at a port where nothing listens (no mock: a refused connection)."""
    original, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:6390/0", False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = original, eager
        app._pool = None
        app.amqp._producer_pool = None


def test_a_broker_outage_loses_nothing_and_breaks_nothing(
        people, broker_down, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="core.queueing"), \
            django_capture_on_commit_callbacks(execute=True):
        assert _notify(people) == 2  # no exception reaches the caller
    assert "broker unavailable" in caplog.text
    assert mail.outbox == []
    # The scheduled run sends what is waiting, once the broker (or beat) runs the job.
    send_notification_emails()
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_reporter_role_user_keeps_their_notifications_private(client, people, other_reporter):
    _notify(people)
    client.force_login(other_reporter)
    page = client.get(reverse("notifications")).content.decode()
    assert "2.5" not in page


def test_one_email_job_is_queued_per_transaction_however_many_notify_calls(
        people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            _notify(people, key=f"bulk-{n}")
    assert len(callbacks) == 1


def test_submitting_a_report_works_while_the_broker_is_down(
        client, reporter, leader, department, broker_down, caplog,
        django_capture_on_commit_callbacks):
    from django.utils import timezone

    from reports.models import ProgressReport
    from reports.periods import period_open
    from tests.factories import TaskFactory

    leader.email = "leader@example.gov.vn"
    leader.save()
    task = TaskFactory(lead_unit=department)
    period = period_open(on=timezone.localdate())
    client.force_login(reporter)
    url = reverse("report", args=[task.pk, department.pk, period.year, period.month])
    with caplog.at_level(logging.WARNING, logger="core.queueing"), \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "action": "submit", "percent_complete": 30, "progress_status": "on_track",
            "results": "Đã xây dựng dự thảo.", "outputs-TOTAL_FORMS": 0,
            "outputs-INITIAL_FORMS": 0, "outputs-MIN_NUM_FORMS": 0,
            "outputs-MAX_NUM_FORMS": 1000})
    assert response.status_code == 302
    assert ProgressReport.objects.get().state == ProgressReport.State.SUBMITTED
    waiting = Notification.objects.get(recipient=leader)
    assert waiting.emailed_at is None and "broker unavailable" in caplog.text
    send_notification_emails()  # what the scheduled run does once it can
    assert [message.to for message in mail.outbox] == [["leader@example.gov.vn"]]
