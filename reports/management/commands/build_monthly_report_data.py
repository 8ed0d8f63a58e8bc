from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports.jobs import build_monthly_report_data


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = ("Compute and store, once, the figures of the monthly report for the "
            "latest period whose submission deadline has passed, and tell the programme "
            "secretariat. "
            "Runs here, not on a worker; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, default=None,
                            help="the day to act on, YYYY-MM-DD (default today)")

    def handle(self, *args, date=None, **options):
        counts = build_monthly_report_data(on=date)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
