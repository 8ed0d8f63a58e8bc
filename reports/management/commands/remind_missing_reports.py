from core.job_command import JobCommand
from reports.jobs import remind_missing_reports


class Command(JobCommand):
    help = ("Remind the reporters and leaders of units whose reports are still "
            "to be submitted, 3 and 1 days (REPORT_REMINDER_DAYS_BEFORE) before a period's "
            "submission deadline. "
            "Runs here, not on a worker; safe to run again.")
    job = remind_missing_reports
