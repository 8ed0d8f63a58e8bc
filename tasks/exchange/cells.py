"""Cell values in and out of spreadsheets: text as people typed it, keys to match names, and the
protection against spreadsheet formula injection."""

import re
import unicodedata
from datetime import date, datetime

from core.text import dmy

#: A text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """The text made inert for a CSV file: a leading apostrophe when it would start a formula.

    A text that already starts with an apostrophe followed by such a character (or by another
    apostrophe) gets one too, so that `restore` gives back exactly what was written.
    """
    if text.startswith(FORMULA_TRIGGERS) or (
            text.startswith("'") and text[1:2] and text[1:2] in (*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise`: drop the apostrophe it added."""
    if text.startswith("'") and text[1:2] and text[1:2] in (*FORMULA_TRIGGERS, "'"):
        return text[1:]
    return text


def needs_quote_prefix(text: str) -> bool:
    """Whether a spreadsheet cell holding this text must be marked as text (quotePrefix)."""
    return text.startswith(FORMULA_TRIGGERS) or text.startswith("'")


def clean_text(text: str) -> str:
    """Text fit for a cell: one kind of line break, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", text)


def cell_text(value) -> str:
    """What a cell holds, as the text a person would read in it (dates as dd/mm/yyyy, whole
    numbers without ".0"), trimmed, with the formula protection undone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return dmy(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    return restore(text.strip()).strip()


def same_text(stored: str, typed: str) -> bool:
    """Whether a stored text and a typed one say the same (line breaks and edges aside)."""
    return clean_text(stored or "").strip() == clean_text(typed or "").strip()


# --- Keys to match names as people write them -----------------------------------------------

_PUNCTUATION = re.compile(r"[^\w]+")
# The two Vietnamese spellings of a few syllables, and common abbreviations, on the loose key.
_LOOSE_SUBSTITUTIONS = [
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bthanh pho\b"), "tp"),
    (re.compile(r"\btrung uong\b"), "tw"),
]


def match_key(text: str) -> str:
    """A key that ignores case, punctuation and spacing: "Bộ Y tế" == "bộ  y tế."."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return _PUNCTUATION.sub(" ", text).strip()


def loose_key(text: str) -> str:
    """`match_key` without diacritics and with common abbreviations spelt one way ("Uỷ ban
    nhân dân" == "Ủy ban nhân dân" == "UBND")."""
    text = unicodedata.normalize("NFD", match_key(text).replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    for pattern, replacement in _LOOSE_SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()
