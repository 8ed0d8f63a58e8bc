from core.job_command import JobCommand
from reports.jobs import refresh_task_facts


class Command(JobCommand):
    help = ("Compute the per-task facts the figures read for the day (default today) and the "
            "previous period's cut-off, and forget those of other days. "
            "Runs here, not on a worker; safe to run again.")
    job = refresh_task_facts
