"""make test stops at once, saying how to start a service, when one is not reachable."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    return subprocess.run([sys.executable, "scripts/check_services.py"], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=30)


def test_the_service_check_passes_when_both_answer():
    assert run_check().returncode == 0


def test_an_unreachable_postgresql_stops_with_the_way_to_start_it():
    result = run_check(DATABASE_URL="postgres://postgres@127.0.0.1:5499/x")
    assert result.returncode == 2
    assert "PostgreSQL is not reachable" in result.stderr
    assert "pg_ctlcluster" in result.stderr


def test_an_unreachable_redis_stops_with_the_way_to_start_it():
    result = run_check(REDIS_URL="redis://127.0.0.1:6399/0")
    assert result.returncode == 2
    assert "Redis is not reachable" in result.stderr
    assert "redis-server --daemonize yes" in result.stderr
