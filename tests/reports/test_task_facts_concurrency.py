"""Under load, a change and a computation of the per-task facts never wait for each other in a
circle: a request that computes the facts and then writes, and a writer that changes a task the
computation is replacing, both commit; the figures then equal a recomputation. On PostgreSQL
with two real connections (the deadlock this guards against needs two transactions)."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from tasks.facts import facts_fill
from tasks.models import Task, TaskFacts, TaskFactsStale
from tasks.rules import task_status_class
from tests.factories import TaskFactory, TaskGroupFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="the locks are PostgreSQL's")]


def _in_thread(work, errors: list):
    def run():
        try:
            work()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_request_that_computes_then_writes_and_a_writer_both_commit():
    today = timezone.localdate()
    changed, other = (TaskFactory(deadline=today + timedelta(days=90)) for _ in range(2))
    group = TaskGroupFactory()
    facts_fill(day=today)
    Task.objects.filter(pk=changed.pk).update(title="Sửa lần một")  # listed stale
    reader_computed, writer_holds = threading.Event(), threading.Event()
    errors: list = []
    computed: list = []

    def reader():  # a request: computes the facts, then writes
        with transaction.atomic():
            computed.append(facts_fill(day=today))
            reader_computed.set()
            writer_holds.wait(10)
            Task.objects.filter(pk=other.pk).update(title="Ghi sau khi đọc")  # waits for it

    def writer():  # holds the dashboard's data version, then changes the task being computed
        reader_computed.wait(10)
        with transaction.atomic():
            type(group).objects.filter(pk=group.pk).update(name="Giữ phiên bản dữ liệu")
            writer_holds.set()
            time.sleep(0.5)  # the reader is waiting for the data version by now
            Task.objects.filter(pk=changed.pk).update(deadline=today - timedelta(days=1))

    threads = [_in_thread(reader, errors), _in_thread(writer, errors)]
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert computed == [1]  # the stale task's row, computed by the request
    assert Task.objects.get(pk=changed.pk).deadline == today - timedelta(days=1)
    assert Task.objects.get(pk=other.pk).title == "Ghi sau khi đọc"

    facts_fill(day=today)
    stored = TaskFacts.objects.get(task_id=changed.pk, day=today).status
    assert stored == task_status_class(task=Task.objects.get(pk=changed.pk), on=today).value
    assert stored == "overdue"


def test_a_reader_reads_what_is_stored_rather_than_wait_for_a_writer():
    """A request reads while a writer holds the rows its computation must replace: it gives up
    after a moment and reads what is stored (a request that had written could otherwise wait
    for a writer that waits for it); nobody fails, and the next read computes them."""
    today = timezone.localdate()
    task = TaskFactory(deadline=date(today.year + 1, 12, 31))
    facts_fill(day=today)
    # listed stale while its rows are still stored, as when a computation raced a change
    TaskFactsStale.objects.create(task_id=task.pk)
    writer_changed, reader_done = threading.Event(), threading.Event()
    errors: list = []
    results: list = []

    def writer():
        with transaction.atomic():
            Task.objects.filter(pk=task.pk).update(title="Đang sửa")  # deletes its facts rows
            writer_changed.set()
            reader_done.wait(10)

    def reader():
        writer_changed.wait(10)
        with transaction.atomic():
            results.append(facts_fill(day=today))
        reader_done.set()

    threads = [_in_thread(writer, errors), _in_thread(reader, errors)]
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert results == [None]  # read as stored, not blocked until the writer ended
    assert facts_fill(day=today) > 0  # and computed once the writer committed
    assert TaskFacts.objects.get(task_id=task.pk, day=today).status == task_status_class(
        task=Task.objects.get(pk=task.pk), on=today).value
