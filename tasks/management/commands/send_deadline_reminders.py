from django.core.management.base import BaseCommand

from tasks.jobs import send_deadline_reminders

from .flag_overdue import iso_date


class Command(BaseCommand):
    help = ("Remind the lead and coordinating units of deadlines 30, 7 and 1 days after a date "
            "(default today). Runs here, not on a worker; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, default=None, help="YYYY-MM-DD")

    def handle(self, *args, date=None, **options):
        counts = send_deadline_reminders(on=date)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
