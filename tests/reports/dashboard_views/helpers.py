"""What the tests in dashboard_views/ share: their data, helpers and fixtures."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.dashboard import dashboard_headline
from tasks.models import Task
from tests.factories import UserFactory
from units.models import User

from ..dashboard_programme import ON, build

URL = reverse("dashboard")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


def _get(client, user, url=URL, params=None):
    client.force_login(user)
    return client.get(url, params or {})


def _link(body: str, path: str, **params) -> str:
    """The first link on the page to `path` whose query has exactly these parameters."""
    for href in re.findall(r'href="([^"]+)"', body):
        href = href.replace("&amp;", "&")
        parsed = urlparse(href)
        if parsed.path == path and parse_qs(parsed.query) == {
                key: value if isinstance(value, list) else [str(value)]
                for key, value in params.items()}:
            return href
    raise AssertionError(f"no link to {path} with {params}")


def _touch():
    """A change the dashboard reads (so the next request computes afresh)."""
    task = Task.objects.order_by("pk").first()
    task.save()


@pytest.fixture
def programme(db):
    return build()


def _headline_counts():
    headline = dashboard_headline(tasks=Task.objects.all(), on=ON)
    return {status: entry["count"] for status, entry in headline["classes"].items()}, \
        headline["at_risk"]


#: The dashboard's pages: the first screen and the sections behind it.
SECTIONS = ("groups", "units", "deadlines", "timeline", "compliance", "clarity", "indicators")
PAGES = [URL, *(reverse(f"dashboard_{name}") for name in SECTIONS)]


def section(name: str) -> str:
    return reverse(f"dashboard_{name}")


@pytest.fixture
def on_programme_day(monkeypatch):
    """The pages drawn on the hand-built programme's day (ON)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: ON)
    return ON
