import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.models import ReportingPeriod
from reports.monthly import monthly_report_preview


class Command(BaseCommand):
    help = "Render the draft monthly report of a period (YYYY-MM) to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("period", help="the period, YYYY-MM")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")

    def handle(self, *args, period, out, lang, **options):
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", period)
        if not match:
            raise CommandError(f"The period must be YYYY-MM, not {period!r}.")
        found = ReportingPeriod.objects.filter(year=int(match[1]), month=int(match[2])).first()
        if found is None:
            raise CommandError(f"There is no reporting period {period}.")
        pdf = monthly_report_preview(period=found, language=lang)
        Path(out).write_bytes(pdf)
        self.stdout.write(f"{out}: {len(pdf)} bytes")
