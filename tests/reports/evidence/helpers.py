"""What the tests in evidence/ share: their data, helpers and fixtures."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from tests.factories import ProgressReportFactory, TaskFactory, UserFactory
from units.models import User

PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89")


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


WEBP_BYTES = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88"


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\0\0"


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Biên bản họp</w:t></w:r></w:p></w:body></w:document>"
)


def zip_bytes(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(**extra) -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES_XML, "_rels/.rels": RELS_XML,
                      "word/document.xml": DOCUMENT_XML, **extra})


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Tiến độ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf_bytes(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>",
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


# A minimal Compound File (MS-CFB, version 3: 512-byte sectors): the header, one allocation-table
# sector, then the directory. Streams are empty: the sniffer reads only the directory.
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole2_bytes(tree: list, *, directory_sectors: int | None = None,
               reverse_chain: bool = False) -> bytes:
    """`tree`: entries under the root, each a stream name or a (storage name, [children]) pair.
    The directory fills `directory_sectors` sectors (four entries each; by default as few as
    will do), chained in reverse
    order of position in the file when `reverse_chain`, so the chain must be followed."""
    entries = [["Root Entry", 5, NOSTREAM, NOSTREAM, NOSTREAM]]

    def add(children) -> int:
        first = NOSTREAM
        previous = None
        for child in children:
            name, grandchildren = (child, None) if isinstance(child, str) else child
            index = len(entries)
            entries.append([name, 2 if grandchildren is None else 1, NOSTREAM, NOSTREAM,
                            NOSTREAM])
            if grandchildren is not None:
                entries[index][4] = add(grandchildren)
            if previous is None:
                first = index
            else:
                entries[previous][3] = index  # right sibling
            previous = index
        return first

    entries[0][4] = add(tree)
    directory_sectors = directory_sectors or -(-len(entries) // 4)
    assert len(entries) <= directory_sectors * 4
    raw_entries = []
    for name, kind, left, right, child in entries:
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw = bytearray(128)
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        struct.pack_into("<IQ", raw, 116, ENDOFCHAIN, 0)
        raw_entries.append(bytes(raw))
    empty = bytearray(128)
    struct.pack_into("<III", empty, 68, NOSTREAM, NOSTREAM, NOSTREAM)
    raw_entries += [bytes(empty)] * (directory_sectors * 4 - len(entries))

    positions = list(range(1, directory_sectors + 1))  # sector 0 holds the allocation table
    chain = positions[::-1] if reverse_chain else positions
    fat = [FREESECT] * 128
    fat[0] = FATSECT
    for this, following in zip(chain, [*chain[1:], ENDOFCHAIN], strict=True):
        fat[this] = following
    sectors = {0: struct.pack("<128I", *fat)}
    for order, sector in enumerate(chain):
        sectors[sector] = b"".join(raw_entries[order * 4:order * 4 + 4])

    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, chain[0], 0, 4096, ENDOFCHAIN, 0,
                     ENDOFCHAIN, 0, 0)
    struct.pack_into("<108I", header, 0x50, *[FREESECT] * 108)
    return bytes(header) + b"".join(sectors[index] for index in range(directory_sectors + 1))


WORD_97 = ["\x05SummaryInformation", "1Table", "WordDocument", "\x01CompObj"]


EXCEL_97 = ["\x05SummaryInformation", "Workbook", "\x01CompObj"]


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted word for word.
    with override("en"):
        yield


@pytest.fixture
def report(department):
    return ProgressReportFactory(task=TaskFactory(lead_unit=department))


@pytest.fixture
def approved_report(department, reporter, leader):
    now = timezone.now()
    return ProgressReportFactory(task=TaskFactory(lead_unit=department),
                                 state=ProgressReport.State.APPROVED, submitted_by=reporter,
                                 submitted_at=now, decided_by=leader, decided_at=now)


@pytest.fixture
def leadership(other_unit):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=other_unit)


def stored_path(evidence: EvidenceFile) -> Path:
    return Path(default_storage.path(evidence.file.name))


def stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def file_message(excinfo) -> str:
    return " ".join(excinfo.value.message_dict["file"])


@pytest.fixture
def evidence(report, reporter):
    return evidence_add(report=report, actor=reporter,
                        uploaded=upload(PDF_BYTES, "Biên bản kiểm tra.pdf"))
