from accountability.jobs import escalate_unanswered
from core.job_command import JobCommand


class Command(JobCommand):
    help = ("Escalate the explanation requests not answered by their date (default today) and "
            "tell their requesters and the units' leaders. Safe to run again.")
    job = escalate_unanswered
