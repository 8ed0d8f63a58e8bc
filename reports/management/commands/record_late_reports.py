from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports.jobs import record_late_reports


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = ("Record the expected reports not submitted by the deadline of the "
            "latest period whose deadline has passed (and the one before), and tell each "
            "unit's leaders. "
            "Runs here, not on a worker; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, default=None,
                            help="the day to act on, YYYY-MM-DD (default today)")

    def handle(self, *args, date=None, **options):
        counts = record_late_reports(on=date)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
