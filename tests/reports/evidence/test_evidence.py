"""Evidence files on progress reports: recognised by content, stored with a checksum, refused
when the file, the report's state or the user's unit says no, and readable only within scope.

Every file is built here, byte by byte or with the library that writes that format."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from reports.evidence import evidence_add, evidence_open, evidence_remove, evidence_validate
from reports.filetypes import (
    DOC,
    DOCX,
    GIF,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    WEBP,
    XLS,
    XLSX,
    sniff_content_type,
)
from reports.models import EvidenceFile, ProgressReport

from .helpers import (
    CONTENT_TYPES_XML,
    DOCUMENT_XML,
    EXCEL_97,
    EXE_BYTES,
    GIF_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    WORD_97,
    docx_bytes,
    file_message,
    odf_bytes,
    ole2_bytes,
    stored_files,
    stored_path,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(("data", "expected"), [
    (PDF_BYTES, PDF),
    (docx_bytes(), DOCX),
    (xlsx_bytes(), XLSX),
    (ole2_bytes(WORD_97), DOC),
    (ole2_bytes(EXCEL_97), XLS),
    (ole2_bytes(["Book"]), XLS),  # Excel 5/95
    (odf_bytes(ODT), ODT),
    (odf_bytes(ODS), ODS),
    (PNG_BYTES, PNG),
    (JPEG_BYTES, JPEG),
    (GIF_BYTES, GIF),
    (b"GIF87a\x01\x00\x01\x00\x00\x00\x00;", GIF),
    (WEBP_BYTES, WEBP),
], ids=["pdf", "docx", "xlsx", "doc", "xls", "xls95", "odt", "ods", "png", "jpeg", "gif89",
        "gif87", "webp"])
def test_accepted_types_are_recognised_whatever_the_name(data, expected):
    uploaded = upload(data, "no-extension", content_type="text/plain")
    uploaded.read(3)
    assert sniff_content_type(uploaded) == expected
    assert uploaded.tell() == 0


@pytest.mark.parametrize("data", [
    EXE_BYTES,
    b"Plain text pretending to be a document.\n",
    b"",
    b"%PD",
    b" %PDF-1.4 leading space",
    zip_bytes({"readme.txt": "not an office document"}),
    zip_bytes({"[Content_Types].xml": CONTENT_TYPES_XML, "docProps/app.xml": "<x/>"}),
    zip_bytes({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": DOCUMENT_XML,
               "xl/workbook.xml": "<workbook/>"}),
    zip_bytes({"word/document.xml": DOCUMENT_XML}),  # no [Content_Types].xml
    EXE_BYTES + docx_bytes(),  # a self-extracting archive carrying a document
    b"PK\x03\x04" + b"\x00" * 60,  # a ZIP signature and nothing behind it
    docx_bytes()[:200],  # a truncated document
    odf_bytes("application/vnd.oasis.opendocument.presentation"),
    ole2_bytes(["PowerPoint Document", "Current User"]),
    ole2_bytes(["WordDocument", "Workbook"]),
    ole2_bytes([("ObjectPool", [("_1234", ["Workbook"])])]),  # an Excel object, no Word stream
    ole2_bytes(WORD_97)[:700],  # the directory cut off
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an OLE2 signature, a blank header
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"<!DOCTYPE html><html></html>",
    b"RIFF\x10\x00\x00\x00WAVEfmt ",
], ids=["exe", "text", "empty", "short", "pdf-not-at-start", "plain-zip", "ooxml-no-part",
        "ooxml-both-parts", "no-content-types", "exe-with-zip", "broken-zip", "truncated-docx",
        "odp", "ppt", "word-and-excel-streams", "excel-only-embedded", "ole2-truncated",
        "ole2-blank-header", "svg", "html", "wav"])
def test_anything_else_is_not_recognised(data):
    uploaded = upload(data, "evidence.pdf", content_type="application/pdf")
    assert sniff_content_type(uploaded) is None
    assert uploaded.tell() == 0


def test_a_word_file_is_found_through_its_directory_chain():
    # The Word stream is in the directory's second sector, which lies first in the file.
    data = ole2_bytes(["\x05SummaryInformation", "\x05DocumentSummaryInformation", "1Table",
                       "\x01CompObj", "Data", "WordDocument"],
                      directory_sectors=2, reverse_chain=True)
    assert sniff_content_type(upload(data, "x")) == DOC


def test_a_word_file_with_an_embedded_workbook_is_word():
    data = ole2_bytes([*WORD_97, ("ObjectPool", [("_1234", ["Workbook", "\x01Ole"])])])
    assert sniff_content_type(upload(data, "x")) == DOC


@pytest.mark.parametrize("data", [
    docx_bytes(**{"word/vbaProject.bin": b"\x00" * 16}),
    zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>",
               "xl/vbaProject.bin": b"\x00" * 16}),
    ole2_bytes([*WORD_97, ("Macros", ["PROJECT"])]),
    ole2_bytes([*EXCEL_97, ("_VBA_PROJECT_CUR", ["PROJECT"])]),
], ids=["docm", "xlsm", "doc-macros", "xls-macros"])
def test_documents_with_macros_are_not_accepted(data, report, reporter):
    assert sniff_content_type(upload(data, "x")) is None
    with pytest.raises(ValidationError) as excinfo:
        evidence_add(report=report, actor=reporter, uploaded=upload(data, "bao-cao.docx"))
    assert "macros" in file_message(excinfo)
    assert not EvidenceFile.objects.exists()


def test_a_pdf_is_stored_with_its_checksum_size_type_and_name(report, reporter):
    evidence = evidence_add(report=report, actor=reporter,
                            uploaded=upload(PDF_BYTES, "Quyết định 123.pdf", "text/html"))

    evidence.refresh_from_db()
    assert evidence.report == report
    assert evidence.uploaded_by == reporter
    assert evidence.content_type == PDF
    assert evidence.original_name == "Quyết định 123.pdf"
    assert evidence.size_bytes == len(PDF_BYTES)
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    stored = stored_path(evidence).read_bytes()
    assert stored == PDF_BYTES
    assert hashlib.sha256(stored).hexdigest() == evidence.sha256
    # A generated name under the evidence folder, inside MEDIA_ROOT; nothing of the user's name.
    assert evidence.file.name.startswith("evidence/")
    assert evidence.file.name.endswith(".pdf")
    assert "Quy" not in evidence.file.name
    assert stored_path(evidence).is_relative_to(Path(default_storage.location))

    record = evidence.history.get()
    assert record.history_type == "+"
    assert record.history_user == reporter
    assert record.history_change_reason == "Evidence added"


@pytest.mark.parametrize(("make", "name", "expected"), [
    (docx_bytes, "Biên bản.docx", DOCX),
    (xlsx_bytes, "Bảng tiến độ.xlsx", XLSX),
    (lambda: ole2_bytes(WORD_97), "Công văn.doc", DOC),
    (lambda: ole2_bytes(EXCEL_97), "Số liệu.xls", XLS),
    (lambda: PNG_BYTES, "ảnh.png", PNG),
    (lambda: JPEG_BYTES, "hiện trường.JPG", JPEG),
], ids=["docx", "xlsx", "doc", "xls", "png", "jpeg"])
def test_office_documents_and_images_are_accepted(make, name, expected, report, leader):
    data = make()
    evidence = evidence_add(report=report, actor=leader, uploaded=upload(data, name))
    assert (evidence.content_type, evidence.original_name) == (expected, name)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size_bytes == len(data)
    assert stored_path(evidence).read_bytes() == data


@pytest.mark.parametrize(("given", "kept"), [
    ("C:\\Users\\chuyenvien\\Desktop\\Tờ trình.pdf", "Tờ trình.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("Quyết định số 12.2025", "Quyết định số 12.2025.pdf"),
    ("to-trinh.pdf.exe", "to-trinh.pdf.exe.pdf"),
    ("Tờ\x00 trình\r\n.pdf", "Tờ trình.pdf"),
    ("To\u0302\u0300 tri\u0300nh.pdf", "Tồ trình.pdf"),  # decomposed, as macOS sends it
    (".pdf", "pdf.pdf"),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_the_original_name_is_kept_cleaned_with_an_extension_that_fits(given, kept, report,
                                                                      reporter):
    evidence = evidence_add(report=report, actor=reporter, uploaded=upload(PDF_BYTES, given))
    assert evidence.original_name == kept


@pytest.mark.parametrize(("data", "name"), [
    (EXE_BYTES, "bien-ban.pdf"),
    (b"Day la van ban thuong.\n", "bien-ban.docx"),
    (zip_bytes({"data.csv": "a,b\n1,2\n"}), "so-lieu.xlsx"),
], ids=["exe-named-pdf", "text-named-docx", "zip-named-xlsx"])
def test_a_file_whose_content_is_not_accepted_is_refused(data, name, report, reporter):
    with pytest.raises(ValidationError) as excinfo:
        evidence_add(report=report, actor=reporter, uploaded=upload(data, name, PDF))
    assert file_message(excinfo) == (
        "This type of file is not accepted. "
        "Attach a PDF, Word, Excel, OpenDocument or an image (PNG, JPEG, GIF, WebP).")
    assert not EvidenceFile.objects.exists()
    assert stored_files() == []


def test_files_can_be_checked_before_any_is_stored(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    assert evidence_validate(uploaded=upload(PDF_BYTES, "a.pdf")) == PDF
    for data in (b"", EXE_BYTES, PDF_BYTES + b"\0" * 1024):
        with pytest.raises(ValidationError):
            evidence_validate(uploaded=upload(data, "a.pdf"))
    assert stored_files() == []


def test_an_empty_file_is_refused(report, reporter):
    with pytest.raises(ValidationError) as excinfo:
        evidence_add(report=report, actor=reporter, uploaded=upload(b"", "trong.pdf"))
    assert file_message(excinfo) == "The file is empty."
    assert not EvidenceFile.objects.exists()


def test_a_file_one_byte_over_the_limit_is_refused(settings, report, reporter):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    evidence_add(report=report, actor=reporter, uploaded=upload(PDF_BYTES, "vua-du.pdf"))

    with pytest.raises(ValidationError) as excinfo:
        evidence_add(report=report, actor=reporter,
                     uploaded=upload(PDF_BYTES + b"\n", "qua-mot-byte.pdf"))
    assert file_message(excinfo) == (
        f"The file is larger than the {len(PDF_BYTES)}\xa0bytes allowed.")
    assert EvidenceFile.objects.get().original_name == "vua-du.pdf"


@pytest.mark.parametrize(("limit", "said"), [(20 * 1024 * 1024, "20 MB"),
                                             (3 * 1024 * 1024 // 2, "1.5 MB")])
def test_the_limit_is_given_in_megabytes(settings, report, reporter, limit, said):
    settings.EVIDENCE_MAX_BYTES = limit
    data = PDF_BYTES + b"\0" * (limit + 1 - len(PDF_BYTES))
    with pytest.raises(ValidationError) as excinfo:
        evidence_add(report=report, actor=reporter, uploaded=upload(data, "lon.pdf"))
    assert file_message(excinfo) == f"The file is larger than the {said} allowed."


def test_a_user_of_another_unit_may_not_add_evidence(report, other_reporter):
    with pytest.raises(PermissionDenied):
        evidence_add(report=report, actor=other_reporter,
                     uploaded=upload(PDF_BYTES, "bien-ban.pdf"))
    assert not EvidenceFile.objects.exists()


def test_leadership_reads_but_may_not_add_evidence(report, leadership):
    with pytest.raises(PermissionDenied):
        evidence_add(report=report, actor=leadership, uploaded=upload(PDF_BYTES, "x.pdf"))


def test_an_approved_report_takes_no_evidence(approved_report, reporter):
    with pytest.raises(PermissionDenied) as excinfo:
        evidence_add(report=approved_report, actor=reporter,
                     uploaded=upload(PDF_BYTES, "bien-ban.pdf"))
    assert str(excinfo.value) == "The evidence of this report cannot be changed now."
    assert not EvidenceFile.objects.exists()


def test_the_report_state_is_read_afresh_not_from_the_callers_copy(report, reporter, leader):
    stale = ProgressReport.objects.get(pk=report.pk)
    now = timezone.now()
    ProgressReport.objects.filter(pk=report.pk).update(
        state=ProgressReport.State.APPROVED, submitted_by=reporter, submitted_at=now,
        decided_by=leader, decided_at=now)
    with pytest.raises(PermissionDenied):
        evidence_add(report=stale, actor=reporter, uploaded=upload(PDF_BYTES, "x.pdf"))


@pytest.mark.parametrize("who", ["reporter", "leader", "secretariat", "leadership"])
def test_users_who_see_the_report_open_its_evidence(request, evidence, who):
    user = request.getfixturevalue(who)
    handle, filename, content_type = evidence_open(evidence=evidence, user=user)
    with handle:
        assert handle.read() == PDF_BYTES
    assert (filename, content_type) == ("Biên bản kiểm tra.pdf", PDF)


def test_a_user_of_another_unit_learns_nothing_of_the_evidence(evidence, other_reporter):
    with pytest.raises(Http404):
        evidence_open(evidence=evidence, user=other_reporter)


def test_removing_deletes_the_row_now_and_the_file_after_commit(
        evidence, reporter, django_capture_on_commit_callbacks):
    path = stored_path(evidence)
    pk = evidence.pk
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(evidence=evidence, actor=reporter)
    assert not EvidenceFile.objects.filter(pk=pk).exists()
    assert path.exists()  # until the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert not path.exists()

    record = EvidenceFile.history.filter(id=pk).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == reporter
    assert record.history_change_reason == "Evidence removed: Biên bản kiểm tra.pdf"


def test_removing_deletes_the_stored_file(evidence, leader, django_capture_on_commit_callbacks):
    path = stored_path(evidence)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=evidence, actor=leader)
    assert not path.exists()
    assert not EvidenceFile.objects.exists()


def test_evidence_of_an_approved_report_stays(evidence, reporter, leader,
                                              django_capture_on_commit_callbacks):
    now = timezone.now()
    ProgressReport.objects.filter(pk=evidence.report_id).update(
        state=ProgressReport.State.APPROVED, submitted_by=reporter, submitted_at=now,
        decided_by=leader, decided_at=now)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        evidence_remove(evidence=evidence, actor=reporter)
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert stored_path(evidence).exists()


def test_a_user_of_another_unit_may_not_remove_evidence(evidence, other_reporter,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        evidence_remove(evidence=evidence, actor=other_reporter)
    assert stored_path(evidence).exists()
