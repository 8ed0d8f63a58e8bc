"""Fill an empty PostgreSQL database with a national-scale programme (see reports/scale/)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.jobs import refresh_task_facts
from reports.scale import ScaleRefused, scale_analyze, scale_seed


def is_production_settings() -> bool:
    # Overridden settings (tests) hide the module's name: the environment still says it.
    module = (getattr(settings, "SETTINGS_MODULE", None)
              or os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    return module.rsplit(".", 1)[-1] == "production"


class Command(BaseCommand):
    help = ("Fill an empty programme with a national-scale one in bulk (units in a tree, several "
            "resolutions, tasks in every state, a report for every task, body and period), to "
            "measure the dashboard and the lists. PostgreSQL only; refused in production "
            "settings unless --force, and on a database that already holds tasks.")

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=20000)
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--months", type=int, default=60,
                            help="Reporting periods, the last one being today's.")
        parser.add_argument("--indicators", type=int, default=200,
                            help="Indicators, half of them broken down by 34 provinces, with "
                                 "five years of values.")
        parser.add_argument("--seed", type=int, default=72, help="Random seed (same seed, "
                            "same programme).")
        parser.add_argument("--force", action="store_true",
                            help="Run even with production settings (a benchmark database).")

    def handle(self, *args, tasks, units, months, seed, force, indicators, **options):
        self.verbosity = options["verbosity"]
        if is_production_settings() and not force:
            raise CommandError(
                "seed_scale writes thousands of made-up tasks: it refuses to run with production "
                "settings. Add --force only for a database kept for measuring.")
        if tasks < 1 or units < 10 or months < 1 or indicators < 0:
            raise CommandError("Give at least 1 task, 10 units and 1 month, and no fewer than 0 "
                               "indicators.")
        try:
            summary = scale_seed(tasks=tasks, units=units, months=months, seed=seed,
                                 indicators=indicators, today=timezone.localdate(),
                                 progress=self._say)
        except ScaleRefused as refused:
            raise CommandError(str(refused)) from refused
        facts = refresh_task_facts()  # as the nightly job would have
        scale_analyze()
        self.stdout.write(self.style.SUCCESS(
            f"Scale programme: {summary.tasks} tasks, {summary.units} active units, "
            f"{summary.reports} reports over {summary.periods} periods in "
            f"{summary.seconds:.0f} s; {facts['added']} rows of per-task facts."))
        if summary.indicators:
            self.stdout.write(
                f"  {summary.indicators['indicators']} indicators, "
                f"{summary.indicators['targets']} targets, "
                f"{summary.indicators['values']} values")
        for outcome, count in sorted(summary.outcomes.items()):
            self.stdout.write(f"  {outcome}: {count}")

    def _say(self, message: str) -> None:
        if self.verbosity > 1:
            self.stdout.write(message)
