from .helpers import (  # noqa: F401  (fixtures)
    _english,
    approved_report,
    evidence,
    leadership,
    report,
)
