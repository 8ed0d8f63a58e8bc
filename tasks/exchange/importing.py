"""Importing a programme's task list: check every row, show what would change, then write.

`import_plan` (checking.py, its cells checked by cellchecks.py) reads nothing but the database
and the file, and says, row by row, what would be created or changed and every error (with the
row's number and the reason, in the active language): an ImportPlan (plans.py).
`import_apply` (applying.py) writes a plan without errors, all or nothing, through the services
(each change audited with the actor). Tasks are matched by their code within the resolution, so
importing the same file again changes nothing and an edited file updates what was edited.

Callers import the whole of it from here.
"""

from .applying import ImportRowError, decision_errors, import_apply
from .cellchecks import TEXT_FIELDS
from .checking import import_plan
from .plans import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Decision,
    ImportOptions,
    ImportPlan,
    RowPlan,
    file_error,
    fingerprint,
)

__all__ = ["CREATE", "TEXT_FIELDS", "UNCHANGED", "UPDATE", "Decision", "ImportOptions",
           "ImportPlan", "ImportRowError", "RowPlan", "decision_errors", "file_error",
           "fingerprint", "import_apply", "import_plan"]
