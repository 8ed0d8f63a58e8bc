"""Real Celery workers for the few tests that go through the broker (Redis) and a worker
process, on the test database."""

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """A `celery worker` subprocess consuming one queue; its log lines are collected."""

    def __init__(self, queue_name: str, **env):
        db = settings.DATABASES["default"]
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue_name,
             "-c", "1", "--pool", "solo", "-l", "info", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            # JSON log lines, as in production: tests read the jobs' fields from them.
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
                 "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
                 "DJANGO_LOG_FORMAT": "json", **env},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float) -> bool:
        """Whether a log line containing `text` appears within `timeout` seconds."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    return False
                continue
            self.log.append(line)
            if text in line:
                return True
        return False

    def kill(self):
        """Kill -9: the worker dies mid-job, without acknowledging anything."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # cold shutdown: the test is over
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def send(job, *, queue_name: str, **kwargs):
    """Queue a job through the real broker, whatever the test settings' eager mode."""
    from config.celery_app import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        return job.apply_async(kwargs=kwargs, queue=queue_name)
    finally:
        app.conf.task_always_eager = eager
