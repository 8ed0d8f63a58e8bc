from core.job_command import JobCommand
from reports.jobs import record_late_reports


class Command(JobCommand):
    help = ("Record the expected reports not submitted by the deadline of the "
            "latest period whose deadline has passed (and the one before), and tell each "
            "unit's leaders. "
            "Runs here, not on a worker; safe to run again.")
    job = record_late_reports
