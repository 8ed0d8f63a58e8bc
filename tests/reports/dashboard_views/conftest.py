from .helpers import (  # noqa: F401  (fixtures)
    leadership,
    on_programme_day,
    programme,
    today,
)
