"""Whatever a user types comes out as text: in pages (escaped, nothing that runs), in the emails
of notifications (as typed in the plain text, escaped in any HTML part) and in the monthly
report's PDF (read back with pdftotext: present as typed, never evaluated — "{{ 7*7 }}" stays
as written, never 49), and in the Excel and CSV exports of the task list and of a period's
reports (present as typed, and never a cell a spreadsheet program would run as a formula:
"=HYPERLINK(...)" comes out as text). One run per payload; the payloads, the fields and where
each comes out are the tables of tests/hostile.py. In Chromium: tests/browser/test_hostile_input.py.
"""

import email
from email.header import decode_header, make_header
from email.message import Message

import pytest
from django.core import mail
from django.urls import reverse

from reports.models import EvidenceFile
from tests.hostile import (
    DOWNLOADS,
    PAGES,
    PAYLOADS,
    build_world,
    inert_html,
    spaced,
    squeezed,
)
from units.models import User

HEADERS = {"Content-Type", "MIME-Version", "Content-Transfer-Encoding", "Subject", "From", "To",
           "Date", "Message-ID"}


@pytest.fixture(params=list(PAYLOADS.values()), ids=list(PAYLOADS))
def payload(request):
    return request.param


@pytest.fixture
def world(payload, department, other_unit, reporter, leader, other_reporter, secretariat,
          django_capture_on_commit_callbacks):
    for user in (reporter, leader, other_reporter, secretariat):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@moh.gov.vn")
        user.refresh_from_db()
    # Committed callbacks run: the notifications' emails are sent (jobs run eagerly in tests).
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(payload, department=department, other_unit=other_unit,
                           reporter=reporter, leader=leader, other_reporter=other_reporter,
                           secretariat=secretariat)


def test_pages_show_it_as_text_and_nothing_of_it_runs(client, world):
    for page in PAGES:
        client.force_login(User.objects.get(username=page.user))
        response = client.get(page.path.format(**world))
        assert response.status_code == 200, page.name
        text = spaced(inert_html(response.content.decode()))
        for field in page.fields:
            assert spaced(world["texts"][field]) in text, (page.name, field)


def test_emails_carry_it_as_plain_text(world):
    texts = world["texts"]
    assert len(mail.outbox) >= 5  # submitted, returned, approved... to the leader and reporter
    for message in mail.outbox:
        # The mail is built, and nothing typed has added a header (nor a recipient).
        sent = email.message_from_bytes(message.message().as_bytes())
        assert set(sent.keys()) <= HEADERS, sent.keys()
        assert message.recipients() == message.to
        assert "\n" not in str(make_header(decode_header(sent["Subject"])))
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                inert_html(content)
        if message.content_subtype == "html":
            inert_html(message.body)
        else:
            assert texts["unit"] in message.body
            # the register's notice names the task by its code, the reports' by its title
            assert "/proposals/" in message.body or texts["title"] in message.body
    returned = [message for message in mail.outbox if texts["return comment"] in message.body]
    assert {message.to[0] for message in returned} == {"reporter@moh.gov.vn"}


def test_downloads_carry_it_as_text_never_evaluated(client, world):
    for download in DOWNLOADS:
        client.force_login(User.objects.get(username=download.user))
        response = client.get(download.path.format(**world))
        assert response.status_code == 200, download.name
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        text = squeezed(download.read(body))
        for field in download.fields:
            assert squeezed(world["texts"][field]) in text, (download.name, field)


def test_an_evidence_file_downloads_under_its_name_as_typed(client, world, reporter):
    evidence = EvidenceFile.objects.get()
    client.force_login(reporter)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    header = Message()
    header["Content-Disposition"] = response["Content-Disposition"]
    assert header.get_content_disposition() == "attachment"
    assert header.get_filename() == evidence.original_name == world["texts"]["evidence"]
