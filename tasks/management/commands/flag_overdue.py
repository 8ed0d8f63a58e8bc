from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tasks.jobs import flag_overdue


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = ("Flag the tasks overdue on a date (default today) and notify their lead units, and "
            "leadership of tasks overdue 7 and 30 days. Runs here, not on a worker; safe to "
            "run again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, default=None, help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        counts = flag_overdue(on=date)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
