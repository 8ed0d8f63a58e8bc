from .helpers import (  # noqa: F401  (fixtures)
    november,
    rendered,
    scenario,
)
