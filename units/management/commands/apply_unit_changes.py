from core.job_command import JobCommand
from units.jobs import apply_unit_changes


class Command(JobCommand):
    help = ("Apply the unit changes (renames, merges, splits, dissolutions) whose effective "
            "date has come by a date (default today). Runs here, not on a worker; safe to run "
            "again.")
    job = apply_unit_changes
