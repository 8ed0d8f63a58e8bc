from django.utils.translation import get_language


def localized(vietnamese: str, english: str) -> str:
    """The English text when English is active and a translation exists, else the Vietnamese.

    Programme content (names of units, groups, tasks) is authoritative in Vietnamese; an English
    rendering is optional and falls back to the original.
    """
    if english and (get_language() or "vi").startswith("en"):
        return english
    return vietnamese


def dmy(day) -> str:
    """A date (or the day of a datetime) as the programme writes it everywhere: dd/mm/yyyy,
    whatever the language."""
    return f"{day:%d/%m/%Y}"
