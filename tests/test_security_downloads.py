"""Downloads of uploaded files: whatever name the file was given, the Content-Disposition header
is one well-formed attachment header that names a bare file (no folders, no line breaks, no
quotes that end it early), and the browser is told not to guess the type (nosniff).
"""

import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.evidence import evidence_add
from reports.models import OutputProgress
from tests.factories import OutputFactory, ProgressReportFactory, TaskFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# RFC 6266: either an ASCII quoted-string (with \" and \\ escaped) or RFC 5987's UTF-8 form.
QUOTED = re.compile(r'attachment; filename="((?:[\t\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"')
EXTENDED = re.compile(r"attachment; filename\*=utf-8''([A-Za-z0-9!#$&+.^_`|~%-]*)")


def download_name(header: str) -> str:
    """The file name a browser takes from the header; fails on anything not well formed."""
    if match := QUOTED.fullmatch(header):
        return re.sub(r"\\(.)", r"\1", match[1])
    match = EXTENDED.fullmatch(header)
    assert match, f"not a well-formed attachment header: {header!r}"
    return unquote(match[1], errors="strict")


HOSTILE_NAMES = [
    'bao "cao".pdf',
    '"; filename="evil.exe',
    "a\r\nSet-Cookie: sessionid=stolen.pdf",
    "../../../etc/passwd",
    "..\\..\\Windows\\System32\\evil.pdf",
    "/var/lib/tracker/other.pdf",
    "Báo cáo tháng 11 – Bộ Y tế.pdf",
    "report\u202egnp.exe",  # right-to-left override: shows as "reportexe.png"
    "a;b=c, d.pdf",
    "back\\slash\"quote.pdf",
    "%0d%0aX-Injected: 1.pdf",
    "tab\there.pdf",
    "\x00null.pdf",
    "ﾟ*.pdf",
    "...",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_gives_a_safe_header(client, reporter, department, name):
    report = ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department)
    evidence = evidence_add(report=report, actor=reporter,
                            uploaded=SimpleUploadedFile(name, PDF_BYTES))
    client.force_login(reporter)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    given = download_name(header)
    assert given == evidence.original_name
    assert "/" not in given and "\\" not in given
    assert not any(ord(char) < 32 or 0x202A <= ord(char) <= 0x202E for char in given)
    assert given.endswith(".pdf") and given.strip(".")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_browsers_own_upload_goes_through_the_same_cleaning(client, reporter, department):
    """Through the report page's form, as a browser sends it (multipart)."""
    from django.utils import timezone

    from reports.models import EvidenceFile
    from reports.periods import period_open

    task = TaskFactory(lead_unit=department)
    period = period_open(on=timezone.localdate())
    client.force_login(reporter)
    upload = SimpleUploadedFile('..\\"quý"; x=.pdf', PDF_BYTES, content_type="text/html")
    response = client.post(
        reverse("report", args=[task.pk, department.pk, period.year, period.month]),
        {"action": "save", "percent_complete": 10, "progress_status": "on_track",
         "results": "Đã họp.", "outputs-TOTAL_FORMS": 0, "outputs-INITIAL_FORMS": 0,
         "outputs-MIN_NUM_FORMS": 0, "outputs-MAX_NUM_FORMS": 1000, "files": [upload]})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "application/pdf"  # by content, not the claimed text/html
    download = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert download_name(download["Content-Disposition"]) == evidence.original_name
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name


def test_issued_documents_of_outputs_download_with_a_safe_header(client, reporter, department):
    task = TaskFactory(lead_unit=department)
    output = OutputFactory(task=task, document_number="15/2025/TT-BYT",
                           issued_on=date(2025, 11, 3))
    output.file.save('quyet "dinh"\r\n.pdf', SimpleUploadedFile("x.pdf", PDF_BYTES))
    client.force_login(reporter)
    response = client.get(reverse("output_file", args=[output.pk]))
    assert response.status_code == 200
    name = download_name(response["Content-Disposition"])
    assert "/" not in name and "\r" not in name and '"' not in name
    assert response["X-Content-Type-Options"] == "nosniff"
    progress = OutputProgress.objects.create(
        report=ProgressReportFactory(task=task, unit=department), output=output,
        status=OutputProgress.Status.ISSUED, document_number="15/2025/TT-BYT",
        issued_on=date(2025, 11, 3))
    progress.file.save("bien \"ban\"\r\n.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    response = client.get(reverse("output_progress_file", args=[progress.pk]))
    assert response.status_code == 200
    assert "/" not in download_name(response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("header", [
    'attachment; filename="a"; filename="b.exe"',
    'attachment; filename="a\r\nb"',
    "attachment; filename=a.pdf",
    "inline; filename=\"a.pdf\"",
])
def test_the_header_check_refuses_what_a_browser_could_misread(header):
    with pytest.raises(AssertionError):
        download_name(header)
