"""Time the monthly report for programmes of several sizes (used by `make bench`).

Builds a synthetic programme of N tasks with a month of reports inside a transaction, times the
figures and the PDF, and rolls everything back: the database is left as it was.
"""

import statistics
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.compliance import monthly_report_data
from reports.models import ProgressReport, ReportingPeriod
from reports.pdf import render_monthly_report_pdf
from tasks.deadlines import DeadlineKind
from tasks.models import Output, Resolution, Task, TaskGroup
from units.models import Unit, User


class Rollback(Exception):
    pass


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader  # a development dependency, like the benchmark itself

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _programme(size: int) -> ReportingPeriod:
    units = [Unit(code=f"BENCH-{n}", name=f"Đơn vị thử nghiệm số {n} (Vụ, Cục trực thuộc)",
                  kind=Unit.Kind.DEPARTMENT) for n in range(40)]
    for unit in units:
        unit.save()
    author = User.objects.create(username=f"bench-{time.time_ns()}", role=User.Role.REPORTER,
                                 unit=units[0])
    resolution = Resolution.objects.create(number=f"BENCH-{time.time_ns()}", kind="plan",
                                           issuer="Bộ Y tế", title="Chương trình thử nghiệm",
                                           issued_on=date(2025, 9, 16))
    groups = [TaskGroup.objects.create(resolution=resolution, number=n + 1,
                                       name=f"Nhóm nhiệm vụ thứ {n + 1} về y tế cơ sở")
              for n in range(6)]
    kinds = [(DeadlineKind.DAY, date(2025, 10, 30)), (DeadlineKind.QUARTER, date(2025, 12, 31)),
             (DeadlineKind.YEAR, date(2026, 12, 31)), (DeadlineKind.MONTH, date(2025, 11, 30))]
    tasks = Task.objects.bulk_create([
        Task(group=groups[n % 6], resolution=resolution, code=f"{n % 6 + 1}.{n}",
             sort_key=f"{n:06d}", lead_unit=units[n % 40],
             title=("Xây dựng, trình ban hành thông tư hướng dẫn chức năng, nhiệm vụ, quyền hạn "
                    f"của trạm y tế cấp xã theo mô hình chính quyền hai cấp, số {n}"),
             deadline_kind=kinds[n % 4][0], deadline=kinds[n % 4][1],
             original_deadline_kind=kinds[n % 4][0], original_deadline=kinds[n % 4][1],
             competent_authority="minister", responsible_official="Thứ trưởng",
             completed_on=date(2025, 10, 20) if n % 5 == 0 else None)
        for n in range(size)])
    Output.objects.bulk_create(Output(task=task, kind="circular", title="Thông tư hướng dẫn")
                               for task in tasks)
    period = ReportingPeriod.objects.get_or_create(
        year=2025, month=11, defaults={"starts_on": date(2025, 10, 15),
                                       "ends_on": date(2025, 11, 14),
                                       "submission_deadline": date(2025, 11, 17)})[0]
    ProgressReport.objects.bulk_create(
        ProgressReport(task=task, unit=task.lead_unit, period=period, created_by=author,
                       percent_complete=50, progress_status="behind", state="draft",
                       results="Đã hoàn thành dự thảo, đang lấy ý kiến các bộ, ngành.",
                       difficulties="Chậm nhận được ý kiến góp ý của một số địa phương.")
        for task in tasks)
    return period


class Command(BaseCommand):
    help = "Time the monthly report's figures and PDF for programmes of N tasks (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, nargs="+", default=[200, 2000])
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, tasks, repeat, **options):
        for size in tasks:
            figures, renders, pages = [], [], 0
            try:
                with transaction.atomic():
                    # The scale programme of bench_dashboard may share this database: leave it
                    # out of the report (untracked until the rollback below).
                    Resolution.objects.filter(number__startswith="SCALE-").update(
                        is_tracked=False)
                    period = _programme(size)
                    for _ in range(repeat):
                        started = time.perf_counter()
                        data = monthly_report_data(period=period, on=date(2025, 11, 18))
                        figures.append(time.perf_counter() - started)
                        started = time.perf_counter()
                        pdf = render_monthly_report_pdf(data=data, language="vi", draft=True)
                        renders.append(time.perf_counter() - started)
                    pages = _page_count(pdf)
                    raise Rollback
            except Rollback:
                pass
            self.stdout.write(
                f"monthly report, {size} tasks ({pages} pages): figures median "
                f"{statistics.median(figures):.2f} s, PDF median {statistics.median(renders):.2f} s"
                f" (of {repeat} runs)")
