"""What the load test's clients read from pages and write into forms: the links to reports on
"my tasks", a page's form read as a browser would submit it, and what a simulated reporter
writes in it.

Kept apart from the locustfile, which cannot be imported outside locust, so that a test
(tests/test_load_client.py) can check them against the real report page.
"""

import random
import re
from html.parser import HTMLParser

#: A report the user may write (no report yet, a draft or returned) and one to approve.
REPORT_LINK = re.compile(
    r'class="state state-(?:not_started|draft|returned)" href="(/tasks/\d+/reports/\d+/[\d-]+/)"')
SUBMITTED_LINK = re.compile(
    r'class="state state-submitted" href="(/tasks/\d+/reports/\d+/[\d-]+/)"')
#: A programme with an issued period, on the public index; an issued period's stable address.
PUBLIC_PROGRAMME_LINK = re.compile(r'<h2><a href="(/public/\d+/)"')
PUBLIC_PERIOD_LINK = re.compile(r'href="(/public/\d+/\d{4}-\d{2}/)"')


class FormReader(HTMLParser):
    """The fields of the first form that has a button named `action` (the report form)."""

    def __init__(self):
        super().__init__()
        self.forms, self._fields, self._in_form = [], None, False
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields, self._in_form = [], True
        elif not self._in_form:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "file", "button"):
                self._fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]
            self._fields.append(self._textarea)
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None]
            self._fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in attrs:
                self._select[1] = attrs.get("value", "")
        elif tag == "button" and attrs.get("name") == "action":
            self._fields.append(["__action__", attrs.get("value")])

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self.forms.append(self._fields)
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_with(html: str, action: str) -> dict | None:
    reader = FormReader()
    reader.feed(html)
    for fields in reader.forms:
        if ["__action__", action] in fields:
            return {name: value or "" for name, value in fields if name != "__action__"}
    return None


def reporter_entries(username: str) -> dict:
    """What a simulated reporter types over the report form before saving it. "On track" goes
    with no completion date: a date kept from a report that said "completed" would be refused,
    as it should be ("only for a completed task")."""
    return {
        "results": f"Kết quả thực hiện trong kỳ ({username}, {random.randint(1, 10**6)}).",
        "percent_complete": str(random.randint(10, 90)),
        "progress_status": "on_track",
        "completion_date": "",
    }
