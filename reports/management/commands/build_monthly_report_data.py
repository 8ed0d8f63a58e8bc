from core.job_command import JobCommand
from reports.jobs import build_monthly_report_data


class Command(JobCommand):
    help = ("Compute and store, once, the figures of the monthly report for the "
            "latest period whose submission deadline has passed, and tell the programme "
            "secretariat. "
            "Runs here, not on a worker; safe to run again.")
    job = build_monthly_report_data
