from .helpers import (  # noqa: F401  (fixtures)
    other_leader,
    period,
    task,
)
