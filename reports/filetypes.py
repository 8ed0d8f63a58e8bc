"""What a file is, told from its bytes: the content types accepted as evidence, and the readers
of the PDF, image, ZIP (Office Open XML, OpenDocument) and OLE2 (Word and Excel 97-2003)
signatures that recognise them.

Never from its name or the type the browser claims; office documents that carry macros are
recognised as such, to be refused.
"""

import struct
import zipfile

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

_HEAD_BYTES = 16


class MacrosFound(Exception):
    """An office document that carries macros (refused, with its own message)."""


def sniff_content_type(uploaded) -> str | None:
    """The accepted content type of the file, recognised from its bytes, or None.

    Reads only the first bytes, the ZIP central directory or the OLE2 directory, and rewinds the
    file. Office documents with macros are not accepted (None).
    """
    try:
        return identify(uploaded)
    except MacrosFound:
        return None


def identify(uploaded) -> str | None:
    """Like sniff_content_type, but raises MacrosFound for an office document with macros."""
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
        raise MacrosFound
    return DOCX if word else XLSX


def _odf_type(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    info = archive.getinfo("mimetype")
    if info.file_size > 100:
        return None
    declared = archive.read(info).decode("ascii", "replace").strip()
    if declared not in (ODT, ODS):
        return None
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise MacrosFound
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
        raise MacrosFound
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
