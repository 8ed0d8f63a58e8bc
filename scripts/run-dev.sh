#!/usr/bin/env bash
# make run: migrate, load the demo, start a Celery worker with beat, and serve the site.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
export DJANGO_SETTINGS_MODULE=config.settings.local
py=.venv/bin/python
mkdir -p var/log

$py manage.py migrate --noinput -v 0
# The demo is brought up to today on every run (only what is missing is written); what it
# prints (each account and the first thing to try with it) goes into the banner below.
echo "Bringing the demo up to today (the first time takes about a minute)..."
demo=$($py manage.py seed_demo)

# Worker and beat in one process (-B): enough for one machine. Logs in var/log/worker.log.
# It reads the settings exported above, as the server does: the same database, with the SQLite
# options that let both write at once (config/settings/base.py, SQLITE_OPTIONS).
.venv/bin/celery -A config worker -B -c 1 -l info \
  --schedule var/celerybeat-schedule >var/log/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

cat <<BANNER

  Programme Tracker is starting on  http://$host:$port/
  Administration:                   http://$host:$port/admin/
  Celery worker and beat:           running (log: var/log/worker.log)

$(printf '%s\n' "$demo" | sed 's/^/  /')

  Stop with Ctrl+C.

BANNER
$py manage.py runserver "$host:$port"
