"""The key a unit's name is matched by, so that the ways documents write one name meet."""

import re
import unicodedata

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# The old placement puts the tone on the second vowel of "oa", "oe", "uy" ("hoà", "uỷ"), the new
# one on the first ("hòa", "ủy"). Both sides of a comparison get the same key, so moving every
# such mark to the first vowel is enough, even where no one writes it that way ("hoàng").
_OLD_TONE = re.compile(rf"([oO])([aAeE])([{_TONE_MARKS}])(?![\u0300-\u036f])"
                       rf"|([uU])([yY])([{_TONE_MARKS}])(?![\u0300-\u036f])")
_AMPERSAND = re.compile(r"\s*&\s*")  # "KH&CN" == "KH & CN" == "KHCN"
_PUNCTUATION = re.compile(r"[^\w]+")
# Words written out or abbreviated in the names of bodies.
_ABBREVIATIONS = [
    (re.compile(r"\bủy ban nhân dân\b"), "ubnd"),
    (re.compile(r"\bthành phố\b"), "tp"),
    (re.compile(r"\btrung ương\b"), "tw"),
]


def _tone_first(match: re.Match) -> str:
    groups = match.groups()
    first, second, mark = groups[:3] if groups[0] else groups[3:]
    return first + mark + second


def name_key(text: str) -> str:
    """A key that ignores case, punctuation, spacing, old and new tone placement and the usual
    abbreviations: "Uỷ ban nhân dân tỉnh Thanh Hoá." == "UBND tỉnh Thanh Hóa"."""
    text = unicodedata.normalize("NFD", text or "")
    text = _OLD_TONE.sub(_tone_first, text)
    text = unicodedata.normalize("NFC", text).casefold()
    text = _AMPERSAND.sub("", text)
    text = _PUNCTUATION.sub(" ", text).replace("_", " ")
    text = " ".join(text.split())
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text
