from core.job_command import JobCommand
from tasks.jobs import flag_overdue


class Command(JobCommand):
    help = ("Flag the tasks overdue on a date (default today) and notify their lead units, and "
            "leadership of tasks overdue 7 and 30 days. Runs here, not on a worker; safe to "
            "run again.")
    job = flag_overdue
