"""Shares as the pages and documents show them."""


def rate(part: int, whole: int) -> float:
    """Percent of `whole`, to one decimal; 0 when nothing is expected (as DHIS2 shows it)."""
    return round(100 * part / whole, 1) if whole else 0.0
