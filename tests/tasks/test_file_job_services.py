"""File jobs are started and confirmed by services (the views only call them)."""

import pytest
from django.core.exceptions import PermissionDenied

from core.filejobs import file_job_start
from core.models import FileJob
from tasks.exchange.runs import import_request_confirm
from tests.factories import ResolutionFactory, UserFactory
from units.models import User

pytestmark = pytest.mark.django_db


def test_a_file_job_is_created_for_its_actor_and_queued_after_commit(
        secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = file_job_start(kind=FileJob.Kind.TASK_EXPORT, actor=secretariat, language="en",
                             params={"format": "csv", "query": ""})
    job.refresh_from_db()
    assert (job.created_by, job.language, job.state, job.progress) == (
        secretariat, "en", FileJob.State.QUEUED, 0)
    assert job.queued_at is not None
    assert len(queued) == 1


def test_only_who_uploaded_an_import_confirms_it(secretariat):
    job = FileJob.objects.create(kind=FileJob.Kind.TASK_IMPORT, created_by=secretariat,
                                 params={"resolution": ResolutionFactory().pk},
                                 state=FileJob.State.CHECKED,
                                 report={"counts": {"create": 1}})
    other = UserFactory(username="secretariat2", role=User.Role.SECRETARIAT, unit=None)
    with pytest.raises(PermissionDenied):
        import_request_confirm(job=job, actor=other, decision=None)
    job.refresh_from_db()
    assert job.state == FileJob.State.CHECKED
    assert import_request_confirm(job=job, actor=secretariat, decision=None) is True
    job.refresh_from_db()
    assert (job.state, job.progress) == (FileJob.State.APPLYING, 0)
