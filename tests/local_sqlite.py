"""make run's stack for the few tests that use it: processes on config.settings.local with a
fresh SQLite file of their own (never var/db.sqlite3), no Redis, no mail sent."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(folder: Path, **extra) -> dict:
    """The environment of a process of make run, on `folder`/db.sqlite3."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_URL": "memorymail://",
        "REDIS_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def run(folder: Path, *arguments: str, timeout: float = 600,
        **extra) -> subprocess.CompletedProcess:
    """`python <arguments>` in the project, on `folder`'s database; fails on a non-zero exit."""
    done = subprocess.run([sys.executable, *arguments], cwd=ROOT,
                          env=environment(folder, **extra), capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{arguments}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


def migrated(template: Path, folder: Path) -> Path:
    """`folder` with a copy of the migrated database `template` (migrating it the first time)."""
    if not (template / "db.sqlite3").exists():
        template.mkdir(parents=True, exist_ok=True)
        run(template, "manage.py", "migrate", "--noinput", "-v", "0")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "db.sqlite3", folder / "db.sqlite3")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`manage.py runserver`, as make run starts it, on a loopback port."""

    def __init__(self, folder: Path, **extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (folder / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=environment(folder, **extra), stdout=self.log,
            stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers (the health check may find the broker missing)
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("the server did not answer")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
