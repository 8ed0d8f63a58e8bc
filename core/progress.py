"""How far a background job has gone, visible to the page that polls it while the job's own
transaction is still open."""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)


class ProgressRecorder:
    """Records a job's progress (0–100) on its FileJob row, through a connection of its own.

    An import writes all or nothing in one transaction; the page polling the job must still see
    the bar move, so progress is committed apart from that transaction. The job's own transaction
    must never lock the FileJob row while this records. At most a few writes a second.
    """

    def __init__(self, job_id: int, *, start: int = 0, end: int = 100, table: str = ""):
        from .models import FileJob

        self.job_id, self.start, self.end = job_id, start, end
        self.table = table or FileJob._meta.db_table
        self.last_value, self.last_time = -1, 0.0
        self.connection = None
        self.disabled = connections[DEFAULT_DB_ALIAS].vendor == "sqlite"  # one writer at a time

    def __call__(self, fraction: float) -> None:
        value = self.start + int((self.end - self.start) * max(0.0, min(fraction, 1.0)))
        now = time.monotonic()
        if self.disabled or value <= self.last_value or (now - self.last_time < 0.3
                                                         and value < self.end):
            return
        self.last_value, self.last_time = value, now
        try:
            if self.connection is None:
                self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.connection.cursor() as cursor:
                    # Never wait behind a lock: a progress bar is not worth a stuck job.
                    cursor.execute("SET lock_timeout = '1s'")
            with self.connection.cursor() as cursor:
                cursor.execute(f"UPDATE {self.table} SET progress = %s WHERE id = %s",
                               [value, self.job_id])
        except DatabaseError:
            logger.warning("progress of file job %s not recorded", self.job_id, exc_info=True)
            self.disabled = True

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
