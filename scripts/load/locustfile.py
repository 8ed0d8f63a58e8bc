"""The load test behind `make load`: officials and other systems using the site at once.

Four kinds of user, each signed in with its own account so that no two write the same report:
reporters open their tasks and save then submit a report, leaders approve what was submitted,
leadership read the dashboard and the task list, and API clients sync what changed with
`updated_since`; and a crowd of anonymous readers of the public progress page and its open data.
Every refusal counts as a failure; the target is none.

Settings come from the environment (scripts/load/run.sh sets them): LOAD_PASSWORD,
LOAD_REPORTERS and LOAD_LEADERS (comma-separated user names), LOAD_LEADERSHIP, LOAD_API_TOKEN.
"""

import itertools
import os
import random
import re
from datetime import UTC, datetime, timedelta

from locust import HttpUser, between, task
from pages import (
    PUBLIC_PERIOD_LINK,
    PUBLIC_PROGRAMME_LINK,
    REPORT_LINK,
    SUBMITTED_LINK,
    form_with,
    reporter_entries,
)
from requests.adapters import HTTPAdapter

PASSWORD = os.environ.get("LOAD_PASSWORD", "")


def _accounts(variable: str):
    names = [name for name in os.environ.get(variable, "").split(",") if name]
    return itertools.cycle(names) if names else None


REPORTERS, LEADERS = _accounts("LOAD_REPORTERS"), _accounts("LOAD_LEADERS")
LEADERSHIP = _accounts("LOAD_LEADERSHIP")


def _keep_page(action: str, html: str) -> None:
    """Keep the first refused page of each action (in LOAD_OUT) to read what it says."""
    path = os.path.join(os.environ.get("LOAD_OUT", "var/load"), f"refused-{action}.html")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as page:
            page.write(html)


class _BehindTheProxy(HTTPAdapter):
    """gunicorn is reached on loopback without TLS, as the proxy in front of it reaches it (and
    says so with X-Forwarded-Proto). The site's cookies are Secure, so a client speaking plain
    HTTP would never send them back: keep them as the browser behind the proxy does."""

    def build_response(self, req, resp):
        message = getattr(resp, "_original_response", None)
        message = getattr(message, "msg", None)
        if message is not None and message.get_all("Set-Cookie"):
            cookies = message.get_all("Set-Cookie")
            del message["Set-Cookie"]
            for cookie in cookies:
                message["Set-Cookie"] = re.sub(r";\s*Secure(?=;|$)", "", cookie, flags=re.I)
        return super().build_response(req, resp)


class _SignedIn(HttpUser):
    abstract = True
    accounts = None

    def on_start(self):
        self.client.mount("http://", _BehindTheProxy())
        self.client.headers["X-Forwarded-Proto"] = "https"
        # Django checks that a secure POST comes from the site's own https pages.
        self.client.headers["Referer"] = self.host.replace("http://", "https://") + "/"
        self.username = next(self.accounts)
        self.client.get("/accounts/login/", name="sign-in page")
        # Production names its cookies "__Host-…" (bound to the host, Secure, path /).
        token = next((cookie.value for cookie in self.client.cookies
                      if cookie.name.endswith("csrftoken")), "")
        with self.client.post("/accounts/login/", name="sign in", catch_response=True,
                              allow_redirects=False,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token}) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in")

    def _post_form(self, url: str, html: str, action: str, name: str, **changes) -> bool:
        data = form_with(html, action)
        if data is None:
            return False
        data.update(changes, action=action)
        with self.client.post(url, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                # Name the first problem the page shows, so a failure says what went wrong.
                alert = re.search(r'role="alert"[^>]*>(.*?)</(?:div|p)>', response.text, re.S)
                problem = " ".join(re.sub(r"<[^>]+>", " ", alert[1]).split())[:200] if alert else ""
                response.failure(f"{action} refused ({response.status_code}): {problem}")
                _keep_page(action, response.text)
                return False
        return True


class Reporter(_SignedIn):
    """Opens a task of the unit, writes this month's report, saves it, then submits it."""

    weight = 5
    wait_time = between(1, 3)
    accounts = REPORTERS

    @task
    def write_a_report(self):
        home = self.client.get("/", name="my tasks").text
        links = REPORT_LINK.findall(home)
        if not links:
            return
        url = random.choice(links)
        page = self.client.get(url, name="report page").text
        if not self._post_form(url, page, "save", "save report",
                               **reporter_entries(self.username)):
            return
        page = self.client.get(url, name="report page").text
        self._post_form(url, page, "submit", "submit report")


class Leader(_SignedIn):
    """Reads the unit's tasks and approves a submitted report."""

    weight = 2
    wait_time = between(2, 5)
    accounts = LEADERS

    @task
    def approve_a_report(self):
        home = self.client.get("/", name="my tasks").text
        links = SUBMITTED_LINK.findall(home)
        if not links:
            return
        url = random.choice(links)
        page = self.client.get(url, name="report page").text
        self._post_form(url, page, "approve", "approve report", comment="")


class Leadership(_SignedIn):
    """Reads the dashboard, filtered a few ways, and follows a number to the task list."""

    weight = 2
    wait_time = between(1, 4)
    accounts = LEADERSHIP

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def dashboard_filtered(self):
        self.client.get(f"/dashboard/?group={random.randint(1, 30)}", name="dashboard filtered")

    @task(2)
    def overdue_tasks(self):
        self.client.get("/tasks/?status=overdue&ordering=deadline", name="task list: overdue")


class ApiClient(HttpUser):
    """Another system syncing what changed since its last run."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["Authorization"] = f"Bearer {os.environ.get('LOAD_API_TOKEN', '')}"
        self.since = datetime.now(UTC) - timedelta(days=2)

    @task
    def sync(self):
        since = self.since.isoformat()
        self.since = datetime.now(UTC)
        for resource in ("tasks", "progress-reports"):
            url = f"/api/v1/{resource}/"
            page = 1
            while page and page <= 5:
                response = self.client.get(url, params={"updated_since": since, "page": page},
                                           name=f"api {resource} updated_since")
                if response.status_code != 200:
                    break
                page = page + 1 if response.json().get("next") else None


class PublicReader(HttpUser):
    """Anyone, not signed in: the public progress page, a programme's periods, its open data."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"

    @task
    def read(self):
        index = self.client.get("/public/", name="public: programmes").text
        programmes = PUBLIC_PROGRAMME_LINK.findall(index)
        if not programmes:
            return
        page = self.client.get(random.choice(programmes), name="public: latest period").text
        periods = PUBLIC_PERIOD_LINK.findall(page)
        if periods:
            period = random.choice(periods)
            self.client.get(period, name="public: a period")
            data = random.choice([".json", ".csv"])
            self.client.get(period.rstrip("/") + data, name=f"public: open data {data}")
        if random.random() < 0.2:
            self.client.get("/public/feed.atom", name="public: atom feed")
