"""The management command that runs a job by hand, here rather than on a worker."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class JobCommand(BaseCommand):
    """Subclasses set `job` (a job function taking `on`, an ISO date or None) and `help`."""

    job = None

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, default=None,
                            help="the day to act on, YYYY-MM-DD (default today)")

    def handle(self, *args, date=None, **options):
        counts = type(self).job(on=date)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
