"""Test data. Every factory builds valid rows; tests override only what they are about."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from reports.models import ProgressReport, ReportingPeriod
from reports.periods import period_dates
from tasks.deadlines import DeadlineKind
from tasks.models import Output, Resolution, Task, TaskGroup
from units.models import Unit, User


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = Unit.Kind.DEPARTMENT
    parent = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    role = User.Role.REPORTER
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", "r72-test")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ResolutionFactory(DjangoModelFactory):
    class Meta:
        model = Resolution
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{n}/NQ-CP")
    kind = Resolution.Kind.GOVERNMENT_RESOLUTION
    issuer = "Chính phủ"
    title = factory.Sequence(lambda n: f"Chương trình hành động số {n}")
    issued_on = date(2025, 9, 16)


class TaskGroupFactory(DjangoModelFactory):
    class Meta:
        model = TaskGroup

    resolution = factory.SubFactory(ResolutionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Nhóm nhiệm vụ {n + 1}")


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    group = factory.SubFactory(TaskGroupFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Nhiệm vụ số {n + 1}: xây dựng thông tư hướng dẫn")
    lead_unit = factory.SubFactory(UnitFactory)
    competent_authority = "minister"
    responsible_official = "Thứ trưởng phụ trách"
    deadline_kind = DeadlineKind.DAY
    deadline = date(2025, 12, 31)
    deadline_text = ""

    @factory.post_generation
    def coordinating_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.coordinating_units.set(extracted)

    @factory.post_generation
    def with_output(obj, create, extracted, **kwargs):
        # A task has one promised output unless the test says otherwise (with_output=False).
        if create and extracted is not False:
            Output.objects.create(task=obj, kind=Output.Kind.CIRCULAR, title="Thông tư hướng dẫn")


class OutputFactory(DjangoModelFactory):
    class Meta:
        model = Output

    task = factory.SubFactory(TaskFactory, with_output=False)
    kind = Output.Kind.DECREE
    title = "Nghị định quy định chi tiết"


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["year", "month"]

    year = 2025
    month = 11
    starts_on = factory.LazyAttribute(
        lambda o: period_dates(o.year, o.month, cutoff_day=14, submission_days=3)[0])
    ends_on = factory.LazyAttribute(
        lambda o: period_dates(o.year, o.month, cutoff_day=14, submission_days=3)[1])
    submission_deadline = factory.LazyAttribute(
        lambda o: period_dates(o.year, o.month, cutoff_day=14, submission_days=3)[2])


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    unit = factory.LazyAttribute(lambda o: o.task.lead_unit)
    period = factory.SubFactory(ReportingPeriodFactory)
    percent_complete = 40
    progress_status = ProgressReport.ProgressStatus.ON_TRACK
    results = "Đã dự thảo và lấy ý kiến các đơn vị."
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
