"""REST API of the tasks app: resolutions, task groups, tasks, outputs and the status counts.

Reads are scoped as in the browser (tasks.selectors); writes go through tasks.services and are
for the programme secretariat (tasks.permissions). Mounted under /api/v1/ by config/api_router.py.
"""

from .outputs import OutputViewSet
from .programme import ResolutionViewSet, TaskGroupViewSet
from .stats import StatsViewSet
from .tasks import TaskViewSet

__all__ = ["OutputViewSet", "ResolutionViewSet", "StatsViewSet", "TaskGroupViewSet",
           "TaskViewSet"]
