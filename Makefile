# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    install, migrate, load the demo, and serve on http://127.0.0.1:8000/ with a worker
#   make test   install (system packages too) and run the whole suite on PostgreSQL and Redis

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: run test install system-packages services check lint messages clean help bench backup restore browser-tools load

help:
	@echo "make run    start the application with demo data on SQLite (no servers needed)"
	@echo "make test   run the whole test suite against PostgreSQL and Redis"

$(UV):
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The virtualenv with exactly the locked versions (uv.lock); fast when nothing changed.
install: $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet

run: install
	@scripts/run-dev.sh $(HOST) $(PORT)

system-packages:
	@scripts/install-system-packages.sh

services: install
	@$(PY) scripts/check_services.py

messages: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py makemessages --locale vi --locale en \
		--ignore '.venv/*' --ignore '.tools/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete --no-location
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py compilemessages --ignore '.venv/*'

lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache

check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py makemigrations --check --dry-run

test: system-packages install browser-tools services lint check
	.venv/bin/pytest

# axe-core for the accessibility tests (tests/browser/package-lock.json), installed again only when
# the lock changes: offline after the first install.
BROWSER_TOOLS := tests/browser/node_modules/.package-lock.json
browser-tools: $(BROWSER_TOOLS)
$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18 or later (apt-get install nodejs npm)" >&2; exit 1; }
	cd tests/browser && npm ci --no-audit --no-fund --prefer-offline --loglevel=error
	@touch $@

# Benchmarks print figures; they are not part of `make test`.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/programme_tracker_bench
# The same pages on a programme a quarter the size, to see how they grow.
BENCH5K_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/programme_tracker_bench5k
BENCH_SETTINGS = DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=bench-only-not-secret CELERY_BROKER_URL=memory://
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_SETTINGS)
BENCH5K_ENV = DATABASE_URL=$(BENCH5K_DATABASE_URL) $(BENCH_SETTINGS)
bench: system-packages install services
	$(PY) scripts/ensure_database.py $(BENCH_DATABASE_URL)
	$(PY) scripts/ensure_database.py $(BENCH5K_DATABASE_URL)
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH5K_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py bench_monthly_report --tasks 200 2000
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py bench_dashboard
	$(BENCH_ENV) $(PY) manage.py bench_api
	$(BENCH5K_ENV) $(PY) manage.py bench_dashboard --tasks 5000
	$(BENCH5K_ENV) $(PY) manage.py bench_api

# Backups of the database (pg_dump) and the uploaded files, under BACKUP_DIR (var/backups unless
# set), for the database and media of the settings in use (DATABASE_URL, DJANGO_MEDIA_ROOT).
backup: install
	$(PY) scripts/backup.py backup $(if $(TO),--to "$(TO)")

# make restore FROM=var/backups/<time> [FORCE=1]: into an empty database and media directory
# unless FORCE=1.
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=var/backups/<time> [FORCE=1]" >&2; exit 2; }
	$(PY) scripts/backup.py restore "$(FROM)" $(if $(FORCE),--force)

# A bounded load test (locust, headless, loopback only); prints requests, failures, p50/p95.
load: system-packages install services
	@scripts/load/run.sh

clean:
	rm -rf .venv .tools var/test-media .pytest_cache .ruff_cache tests/browser/node_modules
