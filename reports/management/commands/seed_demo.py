from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = ("Load the demo: reference data, a 282/NQ-CP task list from press facts, one account "
            "per role and monthly reports up to today. Refused when DJANGO_DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG on: demo accounts share a published "
                "password and must never reach a production database."
            )
        summary = demo_load(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {summary.tasks} tasks, {summary.reports} reports and "
            f"{summary.users} accounts created."
        ))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): "
                          + ", ".join(DEMO_ACCOUNTS))
