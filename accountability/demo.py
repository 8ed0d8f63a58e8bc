"""The demo's explanation requests: leadership asks two units to explain an overdue task they
lead or, failing that, a report of the last period due they have not submitted; one has
answered, the other (the demo leader's unit when it owes one) has not yet.
Only for demonstration; idempotent (nothing is written once any request exists)."""

from datetime import date, timedelta

from reports.notices import reports_missing_by_unit
from reports.waiting import monthly_report_period_now
from tasks.models import Task
from tasks.rules import StatusClass, task_status_class
from units.models import User

from .models import ExplanationRequest
from .services import explanation_request_answer, explanation_request_create

SHOWCASE_UNIT = "BYT-TCCB"
MESSAGE = ("Đề nghị đơn vị giải trình lý do nhiệm vụ chậm tiến độ so với thời hạn được giao "
           "và đề xuất giải pháp khắc phục.")
MISSING_MESSAGE = ("Đề nghị đơn vị giải trình lý do chưa gửi báo cáo tiến độ của kỳ đúng hạn và "
                   "gửi báo cáo trong thời gian sớm nhất.")
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
    subjects = [{"kind": "overdue_task", "task": task, "unit": task.lead_unit}
                for task in Task.objects.filter(completed_on__isnull=True, deadline__lt=today)
                .select_related("lead_unit").order_by("sort_key", "pk")
                if task.lead_unit_id in leaders
                and task_status_class(task=task, on=today) == StatusClass.OVERDUE]
    period = monthly_report_period_now(on=today)
    if period.pk is not None:  # the reports of the last period due, still missing
        for unit, rows in sorted(reports_missing_by_unit(period=period).items(),
                                 key=lambda item: item[0].path):
            if unit.pk in leaders:
                subjects += [{"kind": "missing_report", "task": task, "unit": unit,
                              "period": period} for task, _state in rows[:1]]
    # The demo leader's unit first, so that the demo leader finds a request to answer.
    subjects.sort(key=lambda subject: subject["unit"].code != SHOWCASE_UNIT)
    chosen = subjects[:2]
    for number, subject in enumerate(reversed(chosen)):
        message = MESSAGE if subject["kind"] == "overdue_task" else MISSING_MESSAGE
        explanation = explanation_request_create(actor=leadership, message=message, on=today,
                                                 **subject)
        if number == 0 and len(chosen) == 2:  # the other unit's: answered
            explanation_request_answer(explanation=explanation,
                                       actor=leaders[subject["unit"].pk], reason=REASON,
                                       remedy=REMEDY, expected_on=today + timedelta(days=45),
                                       on=today)
    return len(chosen)
