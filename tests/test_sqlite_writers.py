"""make run's SQLite takes concurrent writers without refusing any: 8 threads of a web server
and a second process running a job write at once (each in its own transaction, reading first
as the pages do), on a fresh SQLite file with config.settings.local's database options; none
is refused ("database is locked") and every write lands. PostgreSQL is not involved.
"""

import sqlite3
import subprocess
import sys
from pathlib import Path

from config.settings.base import SQLITE_OPTIONS, database_from_url
from tests.local_sqlite import environment, migrated, run

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ROOT / "tests" / "sqlite_writers.py"
REQUESTS = 25  # per thread
JOBS = 40


def test_make_runs_sqlite_options_are_those_of_every_sqlite_database():
    options = database_from_url("sqlite:////tmp/x.sqlite3")["OPTIONS"]
    assert options == SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_make_runs_worker_uses_the_web_servers_settings():
    script = (ROOT / "scripts" / "run-dev.sh").read_text()
    worker = script.index("celery -A config worker")
    assert script.index("export DJANGO_SETTINGS_MODULE=config.settings.local") < worker


def test_threads_and_a_job_process_write_at_once_and_none_is_refused(sqlite_template, tmp_path):
    folder = migrated(sqlite_template, tmp_path)
    run(folder, str(WRITERS), "setup")

    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, str(WRITERS), role, str(go), str(count)],
                                cwd=ROOT, env=environment(folder), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
               for role, count in (("threads", REQUESTS), ("job", JOBS))]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready"
        go.touch()
        outputs = [writer.communicate(timeout=300)[0] for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    for writer, output in zip(writers, outputs, strict=True):
        assert "database is locked" not in output, output
        assert writer.returncode == 0, output

    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        def one(sql):
            return database.execute(sql).fetchone()[0]

        assert one("PRAGMA journal_mode") == "wal"
        assert one("SELECT COUNT(*) FROM reports_progressreport") == 8
        # Created, then saved REQUESTS - 1 times: every save is a new version and a history row.
        assert one("SELECT MIN(version) FROM reports_progressreport") == REQUESTS
        assert one("SELECT COUNT(*) FROM reports_historicalprogressreport") == 8 * REQUESTS
        assert one("SELECT COUNT(*) FROM units_notification WHERE key LIKE 'thread-%'") == \
            8 * REQUESTS
        assert one("SELECT COUNT(*) FROM units_notification WHERE key LIKE 'job-%'") == JOBS
        assert one("SELECT COUNT(*) FROM units_notification WHERE emailed_at IS NOT NULL") >= JOBS
