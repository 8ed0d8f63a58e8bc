from core.job_command import JobCommand
from indicators.jobs import remind_missing_values


class Command(JobCommand):
    help = ("Remind the reporters and leaders of units whose indicator values for the period "
            "due are not submitted (once when the period ends, once when they are late). "
            "Runs here, not on a worker; safe to run again.")
    job = remind_missing_values
