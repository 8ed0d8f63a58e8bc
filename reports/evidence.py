"""Evidence files attached to progress reports: what is accepted, and every write and read of them.

A file is accepted by what its bytes are, never by its name or the type the browser claims: a
signed decision scanned to PDF, minutes in Word, a table in Excel, photographs. Files that carry
macros are refused even when they are otherwise Word or Excel documents. Stored files get a
generated name (the extension taken from the detected type) under MEDIA_ROOT; the name the user
gave is kept, cleaned, for the download.
"""

import hashlib
import posixpath
import struct
import unicodedata
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _

from core.audit import audited

from . import permissions
from .models import EvidenceFile, ProgressReport

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"

#: Accepted content types and the file extensions that go with each; the first is the one given
#: to stored files (and added to a download name whose extension does not fit the content).
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    DOC: (".doc",),
    XLS: (".xls",),
    ODT: (".odt",),
    ODS: (".ods",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    GIF: (".gif",),
    WEBP: (".webp",),
}

_MB = 1024 * 1024
_HEAD_BYTES = 16


class _Macros(Exception):
    """An office document that carries macros (refused, with its own message)."""


# --- Recognising a file by its content --------------------------------------------------------


def sniff_content_type(uploaded) -> str | None:
    """The accepted content type of the file, recognised from its bytes, or None.

    Reads only the first bytes, the ZIP central directory or the OLE2 directory, and rewinds the
    file. Office documents with macros are not accepted (None).
    """
    try:
        return _sniff(uploaded)
    except _Macros:
        return None


def _sniff(uploaded) -> str | None:
    """Like sniff_content_type, but raises _Macros for an office document with macros."""
    try:
        uploaded.seek(0)
        head = uploaded.read(_HEAD_BYTES)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return GIF
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        # The local header must open the file: zipfile alone would also accept a ZIP appended to
        # something else, such as a self-extracting executable.
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(uploaded)
        if head.startswith(_OLE2_SIGNATURE):
            return _sniff_ole2(uploaded)
        return None
    finally:
        uploaded.seek(0)


def _sniff_zip(uploaded) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return _ooxml_type(names)
            if "mimetype" in names:
                return _odf_type(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        # A damaged, encrypted or unsupported archive is simply not an accepted document.
        return None
    return None


def _ooxml_type(names: set[str]) -> str | None:
    word, excel = "word/document.xml" in names, "xl/workbook.xml" in names
    if word == excel:
        return None  # neither, or a chimera of both
    lowered = {name.lower() for name in names}
    # VBA projects (.docm, .xlsm and the like) and Excel 4 macro sheets.
    if any(name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/")
           for name in lowered):
        raise _Macros
    return DOCX if word else XLSX


def _odf_type(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    info = archive.getinfo("mimetype")
    if info.file_size > 100:
        return None
    declared = archive.read(info).decode("ascii", "replace").strip()
    if declared not in (ODT, ODS):
        return None
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise _Macros
    return declared


# OLE2 (Compound File Binary, MS-CFB): the container of Word 97–2003 and Excel 97–2003 files, and
# of much else (PowerPoint, Outlook messages, installers). Which application wrote it is told by
# the streams at the top of its directory: "WordDocument" for Word, "Workbook" (Excel 97 and
# later) or "Book" (Excel 5/95) for Excel. The directory is found through the file allocation
# table; only the header, the allocation-table sectors on the directory's chain and the directory
# itself are read, with bounds, so a damaged or hostile file is refused rather than followed.
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENDOFCHAIN = 0xFFFFFFFE
_NOSTREAM = 0xFFFFFFFF
_MAXREGSECT = 0xFFFFFFFA
_DIR_ENTRY_BYTES = 128
_MAX_DIRECTORY_BYTES = 256 * 1024
_MAX_DIFAT_HOPS = 64  # enough to map over 500 MB of 512-byte sectors
_WORD_STREAMS = {"worddocument"}
_EXCEL_STREAMS = {"workbook", "book"}
_MACRO_STORAGES = {"macros", "_vba_project_cur"}


class _Malformed(Exception):
    pass


def _sniff_ole2(uploaded) -> str | None:
    try:
        names = _ole2_top_level_names(uploaded)
    except (_Malformed, struct.error, UnicodeDecodeError, OSError):
        return None
    word, excel = bool(names & _WORD_STREAMS), bool(names & _EXCEL_STREAMS)
    if word == excel:
        return None  # another OLE2 application, or ambiguous
    if names & _MACRO_STORAGES:
        raise _Macros
    return DOC if word else XLS


def _read_at(uploaded, offset: int, size: int) -> bytes:
    uploaded.seek(offset)
    data = uploaded.read(size)
    if len(data) != size:
        raise _Malformed("truncated")
    return data


def _ole2_top_level_names(uploaded) -> set[str]:
    """The case-folded names of the entries directly under the root storage."""
    header = _read_at(uploaded, 0, 512)
    major, byte_order, shift = struct.unpack_from("<HHH", header, 0x1A)
    if byte_order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)):
        raise _Malformed("header")
    sector_size = 1 << shift
    per_sector = sector_size // 4
    first_directory_sector = struct.unpack_from("<I", header, 0x30)[0]
    first_difat_sector, difat_sectors = struct.unpack_from("<II", header, 0x44)
    header_difat = struct.unpack_from("<109I", header, 0x4C)

    def sector_offset(sector: int) -> int:
        if sector > _MAXREGSECT:
            raise _Malformed("sector")
        return (sector + 1) * sector_size

    def fat_sector(index: int) -> int:
        if index < len(header_difat):
            return header_difat[index]
        index -= len(header_difat)
        hops, slot = divmod(index, per_sector - 1)
        if hops >= min(difat_sectors, _MAX_DIFAT_HOPS):
            raise _Malformed("DIFAT")
        sector = first_difat_sector
        for _hop in range(hops):
            sector = struct.unpack("<I", _read_at(uploaded, sector_offset(sector)
                                                  + sector_size - 4, 4))[0]
        return struct.unpack("<I", _read_at(uploaded, sector_offset(sector) + slot * 4, 4))[0]

    def next_sector(sector: int) -> int:
        index, slot = divmod(sector, per_sector)
        return struct.unpack("<I", _read_at(uploaded, sector_offset(fat_sector(index))
                                            + slot * 4, 4))[0]

    directory = bytearray()
    seen = set()
    sector = first_directory_sector
    while sector != _ENDOFCHAIN:
        if sector in seen or len(directory) >= _MAX_DIRECTORY_BYTES:
            raise _Malformed("directory chain")
        seen.add(sector)
        directory += _read_at(uploaded, sector_offset(sector), sector_size)
        sector = next_sector(sector)

    count = len(directory) // _DIR_ENTRY_BYTES

    def entry(index: int) -> tuple[str, int, int, int, int]:
        if index >= count:
            raise _Malformed("entry")
        raw = directory[index * _DIR_ENTRY_BYTES:(index + 1) * _DIR_ENTRY_BYTES]
        name_bytes = struct.unpack_from("<H", raw, 64)[0]
        if name_bytes > 64 or name_bytes % 2:
            raise _Malformed("name")
        name = raw[:max(name_bytes - 2, 0)].decode("utf-16-le")
        kind = raw[66]
        left, right, child = struct.unpack_from("<III", raw, 68)
        return name, kind, left, right, child

    _root_name, root_kind, _left, _right, first_child = entry(0)
    if root_kind != 5:
        raise _Malformed("root")
    names = set()
    visited = set()
    pending = [first_child]
    while pending:
        index = pending.pop()
        if index == _NOSTREAM:
            continue
        if index in visited:
            raise _Malformed("directory tree")
        visited.add(index)
        name, _kind, left, right, _child = entry(index)
        names.add(name.casefold())
        pending += [left, right]
    return names


# --- Services ---------------------------------------------------------------------------------


def _accepted_kinds() -> str:
    return _("PDF, Word, Excel, OpenDocument or an image (PNG, JPEG, GIF, WebP)")


def _size_limit_text(limit: int) -> str:
    """The limit as people say it: "20 MB", "1,5 MB"; small test limits in bytes or KB."""
    if limit < _MB:
        return filesizeformat(limit)
    megabytes = limit / _MB
    decimals = 0 if megabytes == int(megabytes) else 1
    return f"{formats.number_format(megabytes, decimal_pos=decimals)} MB"


def _clean_original_name(name: str, content_type: str) -> str:
    """The file name the user gave, as a bare name: no folders, no control characters, composed
    Unicode (macOS sends Vietnamese decomposed), at most 255 characters, and an extension that
    fits the content, so that the downloaded file opens as what it is."""
    name = unicodedata.normalize("NFC", name or "")
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = name.strip().strip(".").strip()
    extensions = EXTENSIONS[content_type]
    if not name.lower().endswith(extensions):
        fallback = _("evidence")  # a file name for a file sent without one
        name = f"{name or fallback}{extensions[0]}"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:254 - len(extension)].rstrip()}{dot}{extension}"
    return name


def _lock_editable(report: ProgressReport, actor) -> ProgressReport:
    # Locked so that an approval cannot slip between the check and the write.
    locked = ProgressReport.objects.select_related("unit").select_for_update(of=("self",)).get(
        pk=report.pk)
    if not permissions.can_edit_report(actor, locked):
        raise PermissionDenied(_("The evidence of this report cannot be changed now."))
    return locked


def _chunks(uploaded):
    if hasattr(uploaded, "chunks"):
        yield from uploaded.chunks()
        return
    uploaded.seek(0)
    while chunk := uploaded.read(64 * 1024):
        yield chunk


def _too_large(limit: int) -> ValidationError:
    return ValidationError({"file": _("The file is larger than the %(limit)s allowed.")
                            % {"limit": _size_limit_text(limit)}})


def evidence_validate(*, uploaded) -> str:
    """The accepted content type of an uploaded file, or ValidationError on "file": empty, over
    settings.EVIDENCE_MAX_BYTES, not an accepted type (see sniff_content_type), or an office
    document with macros. Stores nothing: a form can check every file before any is saved."""
    size = getattr(uploaded, "size", None)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise _too_large(settings.EVIDENCE_MAX_BYTES)
    try:
        content_type = _sniff(uploaded)
    except _Macros:
        raise ValidationError({"file": _(
            "Documents containing macros are not accepted. Save it as an ordinary document "
            "without macros and attach it again.")}) from None
    if content_type is None:
        raise ValidationError({"file": _("This type of file is not accepted. Attach a %(kinds)s.")
                               % {"kinds": _accepted_kinds()}})
    return content_type


@transaction.atomic
def evidence_add(*, report: ProgressReport, actor, uploaded) -> EvidenceFile:
    """Attach an uploaded file to a report the actor may edit (PermissionDenied otherwise).

    The file is checked as evidence_validate does (ValidationError on "file"), stored under a
    generated name, and its cleaned original name, size, SHA-256 and detected type recorded; the
    addition is audited.
    """
    report = _lock_editable(report, actor)
    content_type = evidence_validate(uploaded=uploaded)
    limit = settings.EVIDENCE_MAX_BYTES
    digest, size = hashlib.sha256(), 0
    for chunk in _chunks(uploaded):
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        digest.update(chunk)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    uploaded.seek(0)

    evidence = EvidenceFile(
        report=report,
        original_name=_clean_original_name(getattr(uploaded, "name", ""), content_type),
        content_type=content_type,
        size_bytes=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    evidence.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[content_type][0]}", uploaded, save=False)
    try:
        audited(evidence, actor, _("Evidence added")).save()
    except BaseException:
        # Django has no hook on rollback: if instead the caller's transaction rolls back after
        # this returns, the stored file stays behind under MEDIA_ROOT with no row.
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, actor) -> None:
    """Remove an evidence file from a report the actor may edit. The row goes now (audited); the
    stored file once the transaction has committed, so a rollback leaves it in place."""
    _lock_editable(evidence.report, actor)
    storage, name = evidence.file.storage, evidence.file.name
    original_name = evidence.original_name
    audited(evidence, actor, _("Evidence removed: %(name)s") % {"name": original_name}).delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def evidence_open(*, evidence: EvidenceFile, user):
    """The stored file opened for reading, with its download name and content type, for a user
    who may see the report; Http404 for anyone else, so that they learn nothing of it.

    Returns (file handle, filename, content_type); the caller closes the handle (FileResponse
    does). A file missing from storage raises FileNotFoundError: that is a fault to hear about.
    """
    if not permissions.can_view_report(user, evidence.report):
        raise Http404
    handle = evidence.file.storage.open(evidence.file.name, "rb")
    return handle, evidence.original_name, evidence.content_type
