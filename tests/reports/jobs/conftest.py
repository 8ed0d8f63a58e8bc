from .helpers import (  # noqa: F401  (fixtures)
    complete_unit,
    november,
    programme,
    scene,
    workflow,
)
