# syntax=docker/dockerfile:1
# The application image: gunicorn by default; docker-compose.yml runs the Celery worker and beat
# from the same image with another command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_STATIC_ROOT=/app/var/static \
    DJANGO_MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

# WeasyPrint needs Pango at run time (libharfbuzz-subset0: without it every PDF warns and font
# subsetting is ~4x slower); fonts-liberation2 is the Liberation 2.x that covers Vietnamese;
# gettext provides msgfmt for compilemessages; postgresql-client the pg_dump and pg_restore of
# scripts/backup.py (15, as the postgres:15 service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        gettext \
        fonts-liberation2 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The uv that wrote uv.lock.
RUN pip install "uv==0.13.9"

# A home of its own: fontconfig (through WeasyPrint) keeps its cache there.
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .

# Build-time only: production settings refuse to load without a secret key and a database URL,
# and neither command touches the database. No "|| true": a broken .po fails the build. (The
# mkdir only matters in a checkout without catalogues, where Git keeps no config/locale folder.)
RUN mkdir -p config/locale \
    && DJANGO_SECRET_KEY=build-only-not-a-secret DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py compilemessages --ignore .venv \
    && DJANGO_SECRET_KEY=build-only-not-a-secret DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var/media /app/var/backups \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it), 3 by default for 2 cores. The worker heartbeat
# goes to /dev/shm because /tmp in a container may be on a slow overlay filesystem.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--error-logfile", "-", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--worker-tmp-dir", "/dev/shm"]
