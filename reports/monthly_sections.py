"""Sections of the monthly report contributed by the apps built on reports.

reports never imports those apps: one that has something to say in the monthly report (the
explanation requests of the period) registers here in its AppConfig.ready(). When the figures
are built, `collect(period=, on=)` gives the section's JSON-ready data, stored under
data["sections"][key] and frozen with the rest when the report is issued; when the PDF is drawn,
`prepare(data)` (under the document's language) turns it into what `template_name` reads as
`section.rows`, the section numbered after the report's own.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MonthlySection:
    key: str
    collect: Callable
    template_name: str
    prepare: Callable | None = None


MONTHLY_SECTIONS: dict[str, MonthlySection] = {}


def register_monthly_section(key: str, collect: Callable, template_name: str, *,
                             prepare: Callable | None = None) -> None:
    MONTHLY_SECTIONS[key] = MonthlySection(key, collect, template_name, prepare)


def monthly_sections_data(*, period, on) -> dict:
    """{key: collected data} of every registered section."""
    return {key: section.collect(period=period, on=on) for key, section in
            MONTHLY_SECTIONS.items()}


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV"]


def monthly_sections_drawn(stored: dict, *, first_number: int) -> list[dict]:
    """The stored sections whose contributor is still registered, each {"template", "number",
    "rows"}, numbered from `first_number` (1 is "I"). A section absent from figures stored
    before it existed is left out."""
    drawn = []
    for key, section in MONTHLY_SECTIONS.items():
        if key not in stored:
            continue
        number = first_number + len(drawn)
        rows = section.prepare(stored[key]) if section.prepare else stored[key]
        drawn.append({"key": key, "template": section.template_name, "rows": rows,
                      "number": ROMAN[number - 1] if number <= len(ROMAN) else str(number)})
    return drawn
