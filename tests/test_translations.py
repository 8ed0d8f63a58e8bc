"""The translation catalogues: complete, current and saying what the programme says.

Vietnamese is the default language and every string of ours has a Vietnamese translation; the
English catalogue is empty because the msgids are the English text. The compiled .mo files are
committed (so `make run` needs no gettext) and must match their .po files. None of this needs the
database.

After changing a translatable string: `make messages`, translate the new entries in
config/locale/vi/LC_MESSAGES/django.po, and `make messages` again to compile.
"""

import ast
import gettext
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from tasks.deadlines import DeadlineKind, format_deadline
from tasks.rules import Clarity, StatusClass

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "config" / "locale"
SOURCE_DIRS = ["config", "core", "units", "tasks", "reports", "public", "webhooks",
               "accountability", "templates"]


# --- A minimal .po reader ---------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a quoted string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], "\\" + m[1]), text[1:-1])


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags": set, "msgctxt"?, "msgid", "msgid_plural"?,
    "msgstr" or "msgstr[0]".., "obsolete": bool}, the header first."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                entry[key] = _unquote(rest)
        if "msgid" in entry or entry["obsolete"]:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for key, value in sorted(entry.items()) if key.startswith("msgstr[")]
    return [entry["msgstr"]]


def catalogue_key(entry: dict) -> str:
    """The key gettext uses: "context\\x04msgid" when there is a context."""
    if "msgctxt" in entry:
        return f"{entry['msgctxt']}\x04{entry['msgid']}"
    return entry["msgid"]


def header(entries: list[dict]) -> dict[str, str]:
    assert entries[0]["msgid"] == "", "the header entry comes first"
    lines = entries[0]["msgstr"].splitlines()
    return dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "") for line in lines)


VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_ENTRIES = read_po(VI_PO)
EN_ENTRIES = read_po(EN_PO)
VI_MESSAGES = [e for e in VI_ENTRIES[1:] if not e["obsolete"]]
VI_BY_KEY = {catalogue_key(e): e for e in VI_MESSAGES}

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


# --- (a) the Vietnamese catalogue is fully translated -----------------------------------------


def test_vietnamese_header():
    fields = header(VI_ENTRIES)
    assert fields["Project-Id-Version"] == "Programme Tracker"
    assert fields["Language"] == "vi"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "fuzzy" not in VI_ENTRIES[0]["flags"]


def test_vietnamese_catalogue_is_not_empty():
    assert len(VI_MESSAGES) > 100


def test_every_vietnamese_entry_is_translated_and_not_fuzzy():
    untranslated = [e["msgid"] for e in VI_MESSAGES if not all(t.strip() for t in translations(e))]
    fuzzy = [e["msgid"] for e in VI_MESSAGES if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_no_obsolete_entries():
    assert not [e for e in VI_ENTRIES if e["obsolete"]]


def test_plural_entries_have_exactly_one_vietnamese_form():
    for entry in VI_MESSAGES:
        if "msgid_plural" in entry:
            assert [k for k in entry if k.startswith("msgstr")] == ["msgstr[0]"], entry["msgid"]


def test_vietnamese_translations_are_nfc():
    for entry in VI_MESSAGES:
        for text in translations(entry):
            assert unicodedata.is_normalized("NFC", text), entry["msgid"]


def test_translations_keep_the_placeholders():
    for entry in VI_MESSAGES:
        wanted = sorted(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
        for text in translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry["msgid"]


def test_english_catalogue_is_empty_with_a_valid_header():
    fields = header(EN_ENTRIES)
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    messages = [e for e in EN_ENTRIES[1:] if not e["obsolete"]]
    assert {catalogue_key(e) for e in messages} == set(VI_BY_KEY), "en and vi list the same msgids"
    assert not [e["msgid"] for e in messages if any(translations(e))]


# --- (b) the committed .mo files are compiled from the current .po ----------------------------


def load_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


@pytest.mark.parametrize("language", ["vi", "en"])
def test_committed_mo_is_current(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed: cannot check the .mo files are current")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    # The flags compilemessages uses: a translation whose format directives differ fails here.
    result = subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert load_mo(fresh) == load_mo(mo), f"{mo} is stale: run `make messages`"


# --- (c) every literal msgid in the code is in the catalogue ----------------------------------

GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
                     "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_TAG = re.compile(
    r"""\{%-?\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+noop)?(?:\s+context\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?[^%]*%\}"""
)
TEMPLATE_FILTER_ARG = re.compile(r"""\b_\((?P<q>["'])(?P<msgid>.*?)(?P=q)\)""")


def _function_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _python_msgids(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _function_name(node.func) not in GETTEXT_FUNCTIONS:
            continue
        args = node.args
        context = None
        if _function_name(node.func).startswith(("pgettext", "npgettext")):
            if not args or not isinstance(args[0], ast.Constant):
                continue
            context, args = args[0].value, args[1:]
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            msgid = args[0].value
            yield f"{context}\x04{msgid}" if context else msgid, f"{path}:{node.lineno}"


def _template_msgids(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in TEMPLATE_TAG.finditer(text):
        key = match["msgid"] if match["ctx"] is None else f"{match['ctx']}\x04{match['msgid']}"
        yield key, f"{path}:{text.count(chr(10), 0, match.start()) + 1}"
    for match in TEMPLATE_FILTER_ARG.finditer(text):
        yield match["msgid"], f"{path}:{text.count(chr(10), 0, match.start()) + 1}"


def source_msgids() -> dict[str, str]:
    found = {}
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            if path.suffix == ".py":
                found.update(_python_msgids(path))
            elif path.suffix in {".html", ".txt"}:
                found.update(_template_msgids(path))
    return found


def test_the_source_scan_finds_the_strings():
    found = source_msgids()
    assert len(found) > 100
    assert {"Sign in", "Completed on time", "Clear authority", "By %(date)s"} <= set(found)


def test_every_string_in_the_code_is_translated():
    missing = {
        msgid: where for msgid, where in source_msgids().items()
        if msgid not in VI_BY_KEY or not all(translations(VI_BY_KEY[msgid]))
    }
    assert not missing, (
        "run `make messages` and translate these in config/locale/vi/LC_MESSAGES/django.po: "
        + "; ".join(f"{msgid!r} ({where})" for msgid, where in missing.items())
    )


# --- (d) what the users read ------------------------------------------------------------------

STATUS_CLASSES_VI = {
    StatusClass.COMPLETED_ON_TIME: "Đã hoàn thành đúng hạn",
    StatusClass.COMPLETED_LATE: "Đã hoàn thành quá hạn",
    StatusClass.IN_PROGRESS: "Chưa hoàn thành, trong hạn",
    StatusClass.OVERDUE: "Chưa hoàn thành, quá hạn",
}
STATUS_CLASSES_EN = {
    StatusClass.COMPLETED_ON_TIME: "Completed on time",
    StatusClass.COMPLETED_LATE: "Completed late",
    StatusClass.IN_PROGRESS: "In progress, within deadline",
    StatusClass.OVERDUE: "Overdue",
}


def test_status_classes_in_vietnamese_are_the_government_office_classes():
    with translation.override("vi"):
        assert {member: str(member.label) for member in StatusClass} == STATUS_CLASSES_VI
        assert [str(label) for _, label in StatusClass.choices] == list(STATUS_CLASSES_VI.values())


def test_status_classes_in_english():
    with translation.override("en"):
        assert {member: str(member.label) for member in StatusClass} == STATUS_CLASSES_EN


def test_six_clarities_in_vietnamese():
    with translation.override("vi"):
        assert [str(label) for _, label in Clarity.choices] == [
            "Rõ người", "Rõ việc", "Rõ thời gian", "Rõ trách nhiệm", "Rõ sản phẩm (rõ kết quả)",
            "Rõ thẩm quyền",
        ]


@pytest.mark.parametrize(("msgid", "vietnamese"), [
    ("Username", "Tên đăng nhập"),
    ("Password", "Mật khẩu"),
    ("Sign in", "Đăng nhập"),
    ("Sign out", "Đăng xuất"),
    ("My tasks this period", "Nhiệm vụ của tôi trong kỳ"),
    ("Programme Tracker", "Theo dõi Chương trình hành động"),
    ("Monthly", "Hằng tháng"),
    ("Quarterly", "Hằng quý"),
    ("Annually", "Hằng năm"),
    ("Annual", "Hằng năm"),
    ("Ongoing", "Thường xuyên"),
    ("Not specified", "Chưa xác định"),
    ("Vietnamese", "Tiếng Việt"),
    ("English", "Tiếng Anh"),
])
def test_required_vietnamese_renderings(msgid, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(msgid) == vietnamese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


@pytest.mark.parametrize(("kind", "due", "vietnamese", "english"), [
    (DeadlineKind.DAY, date(2025, 10, 30), "Trước 30/10/2025", "By 30/10/2025"),
    (DeadlineKind.MONTH, date(2025, 12, 31), "Tháng 12/2025", "Month 12/2025"),
    (DeadlineKind.QUARTER, date(2025, 12, 31), "Quý IV/2025", "Quarter IV/2025"),
    (DeadlineKind.YEAR, date(2026, 12, 31), "Năm 2026", "Year 2026"),
    (DeadlineKind.ANNUAL, None, "Hằng năm", "Annually"),
    (DeadlineKind.ANNUAL, date(2026, 12, 31), "Hằng năm, hạn lần đầu 31/12/2026",
     "Annually, first due 31/12/2026"),
    (DeadlineKind.ONGOING, None, "Thường xuyên", "Ongoing"),
    (DeadlineKind.UNSPECIFIED, None, "Chưa xác định", "Not specified"),
])
def test_deadlines_read_as_the_programme_writes_them(kind, due, vietnamese, english):
    with translation.override("vi"):
        assert format_deadline(kind, due) == vietnamese
    with translation.override("en"):
        assert format_deadline(kind, due) == english
