"""Evidence files attached to progress reports: what is accepted, and every write and read of them.

A file is accepted by what its bytes are (see reports.filetypes), never by its name or the type
the browser claims: a signed decision scanned to PDF, minutes in Word, a table in Excel,
photographs. Files that carry macros are refused even when they are otherwise Word or Excel
documents. Stored files get a generated name (the extension taken from the detected type) under
MEDIA_ROOT; the name the user gave is kept, cleaned, for the download.
"""

import hashlib
import posixpath
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _

from core.audit import audited

from . import permissions
from .filetypes import EXTENSIONS, MacrosFound, identify
from .models import EvidenceFile, ProgressReport

_MB = 1024 * 1024


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
    permissions.report_step_check(permissions.EDIT, actor, locked, wrong_state=_(
        "The evidence of this report cannot be changed now."))
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
    settings.EVIDENCE_MAX_BYTES, not an accepted type (see filetypes.sniff_content_type), or an
    office document with macros. Stores nothing: a form can check every file before any is
    saved."""
    size = getattr(uploaded, "size", None)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise _too_large(settings.EVIDENCE_MAX_BYTES)
    try:
        content_type = identify(uploaded)
    except MacrosFound:
        raise ValidationError({"file": _(
            "Documents containing macros are not accepted. Save it as an ordinary document "
            "without macros and attach it again.")}) from None
    if content_type is None:
        raise ValidationError({"file": _("This type of file is not accepted. Attach a %(kinds)s.")
                               % {"kinds": _accepted_kinds()}})
    return content_type


@transaction.atomic
def evidence_add(*, report: ProgressReport, actor, uploaded) -> EvidenceFile:
    """Attach an uploaded file to a report the actor may edit (else NotAllowed, WrongState).

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
