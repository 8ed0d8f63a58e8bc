from core.job_command import JobCommand
from tasks.jobs import send_deadline_reminders


class Command(JobCommand):
    help = ("Remind the lead and coordinating units of deadlines 30, 7 and 1 days after a date "
            "(default today). Runs here, not on a worker; safe to run again.")
    job = send_deadline_reminders
