from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.demo import DEMO_ACCOUNTS, DEMO_FIRST_STEPS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = ("Load the demo, or bring it up to today: reference data, a 282/NQ-CP task list from "
            "press facts, one account per role, monthly reports up to today and this period's "
            "work for every role. Only what is missing is written. Refused when DJANGO_DEBUG "
            "is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DJANGO_DEBUG on: demo accounts share a published "
                "password and must never reach a production database."
            )
        summary = demo_load(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {summary.tasks} tasks, {summary.plan_tasks} tasks of the Ministry of "
            f"Health's plan (illustrative), {summary.reports} reports, "
            f"{summary.monthly_reports} monthly reports and {summary.users} accounts created."
        ))
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"Note: {warning}"))
        self.stdout.write(f"Demo accounts, all with the password {DEMO_PASSWORD}; try first:")
        width = max(len(name) for name in DEMO_ACCOUNTS)
        for username in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<{width}}  {DEMO_FIRST_STEPS[username]}")
