# Dates as in Vietnamese (dd/mm/yyyy); numbers with English separators.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
