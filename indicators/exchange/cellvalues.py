"""What an annex's cells say: numbers as Vietnamese writes them ("75,5", "95%", "≥ 95%",
"1.234,5"), a baseline with its year ("73,7 (2024)"), the direction and the frequency."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tasks.exchange.cells import loose_key

from ..models import Direction, Frequency

#: The largest value the database holds (14 digits, 3 of them decimals).
MAX_VALUE = Decimal("99999999999.999")

_SIGNS = {"≥": Direction.AT_LEAST, ">=": Direction.AT_LEAST, ">": Direction.AT_LEAST,
          "≤": Direction.AT_MOST, "<=": Direction.AT_MOST, "<": Direction.AT_MOST}
_WORD_SIGNS = [("it nhat", Direction.AT_LEAST), ("toi thieu", Direction.AT_LEAST),
               ("tren", Direction.AT_LEAST), ("at least", Direction.AT_LEAST),
               ("toi da", Direction.AT_MOST), ("khong qua", Direction.AT_MOST),
               ("duoi", Direction.AT_MOST), ("at most", Direction.AT_MOST)]
_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*$")
_BASELINE = re.compile(r"^(?P<value>.*?)\s*(?:\(\s*(?:năm\s*)?(?P<year1>\d{4})\s*\)"
                       r"|[-–,;]?\s*năm\s+(?P<year2>\d{4}))\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    value: Decimal
    #: What a sign or word before the number says of the target ("≥ 95%": at least).
    direction: str | None = None


class NotANumber(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    """A number as written in an annex: a comma is the decimal mark ("75,5"), a dot groups
    thousands ("1.234,5", "12.000") unless it is the only mark and not followed by three digits
    ("75.5"). Raises NotANumber."""
    text = (text or "").strip().replace("\xa0", " ").replace(" ", "")
    if not text or not _NUMBER.match(text):
        raise NotANumber(text)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif "," in text:
        if text.count(",") > 1:
            if not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text):
                raise NotANumber(text)
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise NotANumber(text) from error
    if abs(value) > MAX_VALUE:
        raise NotANumber(text)
    return value.quantize(Decimal("0.001"))


def parse_figure(text: str) -> Figure:
    """A target or baseline figure: "95", "75,5", "95%", "≥ 95%", "Ít nhất 68", "> 95%".
    Raises NotANumber."""
    text = (text or "").strip()
    direction = None
    for sign, meaning in _SIGNS.items():
        if text.startswith(sign):
            direction, text = meaning, text[len(sign):].strip()
            break
    else:
        key = loose_key(text)
        for words, meaning in _WORD_SIGNS:
            if key.startswith(words):
                direction = meaning
                text = re.sub(r"^\D*", "", text)
                break
    text = text.rstrip().removesuffix("%").strip()
    return Figure(parse_number(text), direction)


def split_baseline(text: str) -> tuple[str, int | None]:
    """A baseline cell and the year it gives: "73,7 (2024)", "73,7 - năm 2024" → ("73,7",
    2024); "73,7" → ("73,7", None)."""
    found = _BASELINE.match((text or "").strip())
    if not found:
        return (text or "").strip(), None
    return found.group("value").strip(), int(found.group("year1") or found.group("year2"))


def parse_year(text: str) -> int | None:
    """A year as written: "2024", "Năm 2024", "2024.0". None when it is not one."""
    found = re.fullmatch(r"(?:năm\s*)?(\d{4})(?:[.,]0+)?", (text or "").strip(), re.IGNORECASE)
    if not found or not 1900 <= int(found.group(1)) <= 2200:
        return None
    return int(found.group(1))


_DIRECTIONS = [
    (("tang", "cao hon", "cang cao cang tot", "higher", "up", "increase"), Direction.HIGHER),
    (("giam", "thap hon", "cang thap cang tot", "lower", "down", "decrease"), Direction.LOWER),
    (("it nhat", "toi thieu", "khong thap hon", "khong duoi", "at least", "≥", ">="),
     Direction.AT_LEAST),
    (("toi da", "khong qua", "khong vuot", "khong cao hon", "at most", "≤", "<="),
     Direction.AT_MOST),
]
_FREQUENCIES = [
    (("hang thang", "thang", "monthly", "month"), Frequency.MONTHLY),
    (("hang quy", "quy", "quarterly", "quarter"), Frequency.QUARTERLY),
    (("hang nam", "nam", "yearly", "annual", "annually", "year"), Frequency.YEARLY),
]


def _choice(text: str, table) -> str | None:
    raw = (text or "").strip()
    for sign in ("≥", ">=", "≤", "<="):
        if raw.startswith(sign):
            return next(value for words, value in table if sign in words)
    key = loose_key(raw)
    for words, value in table:
        if key in words:
            return value
    for words, value in table:  # "Tăng dần", "Giảm xuống", "Báo cáo hằng năm"
        if any(key.startswith(word + " ") or key.endswith(" " + word) for word in words
               if " " in word or len(word) > 3):
            return value
    return None


def parse_direction(text: str) -> str | None:
    return _choice(text, _DIRECTIONS)


def parse_frequency(text: str) -> str | None:
    return _choice(text, _FREQUENCIES)
