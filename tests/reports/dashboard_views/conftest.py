from .helpers import (  # noqa: F401  (fixtures)
    leadership,
    programme,
    today,
)
