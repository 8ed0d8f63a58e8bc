#!/usr/bin/env bash
# make load: a bounded load test on loopback. gunicorn (production settings) + PostgreSQL + Redis
# + a Celery worker, the demo plus scale data, 50 simulated users for 60 s (locust, headless).
# Prints requests, failures and p50/p95 per kind of request; fails if any request failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=.venv/bin/python
port=${LOAD_PORT:-8765}
users=${LOAD_USERS:-50}
duration=${LOAD_DURATION:-60s}
out=var/load
export LOAD_OUT=$out
rm -f "$out"/refused-*.html
mkdir -p "$out"

export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/programme_tracker_load}
export DJANGO_SETTINGS_MODULE=config.settings.production
export DJANGO_SECRET_KEY=load-test-only-not-secret
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/3}
export CELERY_BROKER_URL=$REDIS_URL
export DJANGO_MEDIA_ROOT=$PWD/$out/media
export DJANGO_STATIC_ROOT=$PWD/$out/static
export LOAD_PASSWORD=load-test-password-$RANDOM$RANDOM

$py scripts/ensure_database.py "$DATABASE_URL"
$py manage.py migrate --noinput -v 0
if [ "$($py manage.py shell -c 'from tasks.models import Task; print(Task.objects.exists())' | tail -n 1)" != "True" ]; then
  # The scale programme first: it is written only into a database without tasks.
  echo "Loading a scale programme (once) ..."
  $py manage.py seed_scale --force --tasks "${LOAD_TASKS:-5000}" \
    --units "${LOAD_SCALE_UNITS:-500}" --months "${LOAD_MONTHS:-24}"
fi
DJANGO_DEBUG=true $py manage.py seed_demo  # idempotent
eval "$($py manage.py shell < scripts/load/prepare.py | grep ^LOAD_)"
export LOAD_REPORTERS LOAD_LEADERS LOAD_LEADERSHIP
LOAD_API_TOKEN=$($py manage.py create_api_token load-api --scope read --name "load test" 2>/dev/null)
export LOAD_API_TOKEN
$py manage.py collectstatic --noinput -v 0

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "${LOAD_WORKERS:-4}" \
  --access-logfile /dev/null >"$out/gunicorn.log" 2>&1 &
web=$!
.venv/bin/celery -A config worker -c 1 -l warning >"$out/worker.log" 2>&1 &
worker=$!
trap 'kill "$web" "$worker" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done

.venv/bin/locust -f scripts/load/locustfile.py --headless --only-summary \
  --users "$users" --spawn-rate 10 --run-time "$duration" --host "http://127.0.0.1:$port" \
  --csv "$out/result" --exit-code-on-error 1 >"$out/locust.log" 2>&1 || status=$?
$py scripts/load/summary.py "$out/result_stats.csv" "$out/gunicorn.log"
exit "${status:-0}"
