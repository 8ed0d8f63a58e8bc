from .helpers import (  # noqa: F401  (fixtures)
    helpers,
    lead,
    overdue_task,
)
