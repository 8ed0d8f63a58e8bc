"""Stop at once, with the way out, when the test suite's services are not reachable."""

import os
import sys
from urllib.parse import urlparse

import psycopg
import redis

database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
failures = []

try:
    # Connect to the server's maintenance database: the test database is created by the suite.
    parsed = urlparse(database_url)
    psycopg.connect(
        host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
        user=parsed.username or "postgres", password=parsed.password or None,
        dbname="postgres", connect_timeout=3,
    ).close()
except psycopg.Error as exc:
    failures.append(
        f"PostgreSQL is not reachable at {parsed.hostname}:{parsed.port or 5432} ({exc}).\n"
        "  Start it:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "  or point DATABASE_URL at a server where the user may create databases."
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    failures.append(
        f"Redis is not reachable at {redis_url} ({exc}).\n"
        '  Start it:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" '
        "--appendonly no\n  or set REDIS_URL."
    )

if failures:
    print("The test suite needs PostgreSQL and Redis:\n" + "\n".join(failures), file=sys.stderr)
    sys.exit(2)
