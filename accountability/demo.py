"""The demo's explanation requests: leadership asks two units leading overdue tasks to explain;
one has answered, the other (the demo leader's unit when it leads an overdue task) has not yet.
Only for demonstration; idempotent (nothing is written once any request exists)."""

from datetime import date, timedelta

from tasks.models import Task
from tasks.rules import StatusClass, task_status_class
from units.models import User

from .models import ExplanationRequest
from .services import explanation_request_answer, explanation_request_create

SHOWCASE_UNIT = "BYT-TCCB"
MESSAGE = ("Đề nghị đơn vị giải trình lý do nhiệm vụ chậm tiến độ so với thời hạn được giao "
           "và đề xuất giải pháp khắc phục.")
REASON = ("Dự thảo phải lấy thêm ý kiến của các bộ, ngành; một số đơn vị gửi góp ý chậm so với "
          "thời hạn đề nghị.")
REMEDY = ("Đã tổ chức họp với các đơn vị liên quan để tiếp thu, hoàn thiện dự thảo; phân công "
          "lãnh đạo Vụ trực tiếp theo dõi.")


def explanations_demo_load(*, today: date) -> int:
    """Write the demo's requests when there are none; returns how many were written."""
    if ExplanationRequest.objects.exists():
        return 0
    leadership = User.objects.filter(username="leadership", is_active=True).first()
    if leadership is None:
        return 0
    leaders = {}
    for user in User.objects.filter(role=User.Role.LEADER, is_active=True).order_by("pk"):
        leaders.setdefault(user.unit_id, user)
    overdue = [task for task in Task.objects.filter(completed_on__isnull=True,
                                                    deadline__lt=today)
               .select_related("lead_unit").order_by("sort_key", "pk")
               if task.lead_unit_id in leaders
               and task_status_class(task=task, on=today) == StatusClass.OVERDUE]
    # The demo leader's unit first, so that the demo leader finds a request to answer.
    overdue.sort(key=lambda task: task.lead_unit.code != SHOWCASE_UNIT)
    chosen = overdue[:2]
    for number, task in enumerate(reversed(chosen)):
        explanation = explanation_request_create(actor=leadership, kind="overdue_task",
                                                 task=task, message=MESSAGE, on=today)
        if number == 0 and len(chosen) == 2:  # the other unit's: answered
            explanation_request_answer(explanation=explanation,
                                       actor=leaders[task.lead_unit_id], reason=REASON,
                                       remedy=REMEDY, expected_on=today + timedelta(days=45))
    return len(chosen)
