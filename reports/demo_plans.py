"""The demo's plans cascade: the Ministry of Health's plan implementing 282/NQ-CP, breaking down
some of the programme's tasks among its departments. Illustrative: the plan's number and tasks
are not taken from a published text (its date, 16 October 2025, is the press's); every task is
flagged so. Some plan tasks end after the programme's task they implement, and several tasks of
the programme are left to break down, so the coverage list has units to name."""

from datetime import date

from tasks.models import Resolution, Task
from tasks.services import group_create, resolution_create, task_create
from units.models import Unit

PLAN_NUMBER = "KH-BYT/282 (minh họa)"
PLAN_NOTE = ("Minh họa: số hiệu và nhiệm vụ của kế hoạch không lấy từ văn bản đã công bố. / "
             "Illustrative: the plan's number and tasks are not taken from a published text.")

#: (code, group, implements, lead, deadline, title, title_en, demo progress)
PLAN_TASKS = [
    ("1.3.1", 1, "1.3", "BYT-KHTC", "Quý II/2026",
     "Rà soát, lập danh mục bệnh viện trực thuộc Bộ chuyển giao về địa phương",
     "List the hospitals under the Ministry to be transferred to localities",
     {"percent_now": 60}),
    ("1.3.2", 1, "1.3", "BYT-KHTC", "Quý I/2027",
     "Bàn giao tài sản, tài chính, nhân lực của các bệnh viện chuyển giao",
     "Hand over the transferred hospitals' assets, finances and staff", {"percent_now": 15}),
    ("2.3.1", 2, "2.3", "BYT-PC", "Quý II/2026",
     "Thẩm định dự thảo Nghị định về trung tâm y tế khu vực",
     "Legal review of the draft decree on regional medical centres", {"percent_now": 50}),
    ("2.3.2", 2, "2.3", "BYT-KCB", "Quý IV/2026",
     "Xây dựng Thông tư hướng dẫn tổ chức, hoạt động của trung tâm y tế khu vực",
     "A circular on the organisation and operation of regional medical centres",
     {"percent_now": 25, "stalled": True}),
    ("4.3.1", 4, "4.3", "BYT-BHYT", "Tháng 03/2026",
     "Dự thảo Thông tư sửa đổi phạm vi quyền lợi, mức hưởng bảo hiểm y tế",
     "Draft the circular amending health-insurance benefits and rates", {"percent_now": 80}),
    ("5.1.1", 5, "5.1", "BYT-CNTT", "Quý III/2026",
     "Kết nối cơ sở dữ liệu y tế với Bảo hiểm xã hội Việt Nam và Cơ sở dữ liệu quốc gia về "
     "dân cư", "Connect the health database to Vietnam Social Security and the National "
     "Population Database", {"percent_now": 55}),
    ("5.1.2", 5, "5.1", "BYT-CNTT", "Quý II/2027",
     "Chuẩn hóa dữ liệu khám bệnh, chữa bệnh của các cơ sở y tế trên toàn quốc",
     "Standardise the treatment data of health facilities nationwide", {"percent_now": 20}),
]


def plans_demo_load(*, programme: Resolution, units: dict[str, Unit],
                    admin) -> tuple[list[tuple[Task, dict]], int]:
    """The plan and its tasks (created when missing, through the services), as
    ([(task, demo progress)], how many tasks were created)."""
    plan = Resolution.objects.filter(number=PLAN_NUMBER).first()
    if plan is None:
        plan = resolution_create(
            actor=admin, number=PLAN_NUMBER, kind=Resolution.Kind.PLAN, issuer="Bộ Y tế",
            title="Kế hoạch của Bộ Y tế triển khai thực hiện Chương trình hành động của Chính "
                  "phủ (Nghị quyết số 282/NQ-CP) (minh họa)",
            title_en="The Ministry of Health's plan implementing the Government's action "
                     "programme (282/NQ-CP) (illustrative)",
            issued_on=date(2025, 10, 16), implements=programme, owner_unit=units["BYT"],
            is_tracked=True, note=PLAN_NOTE)
    groups = {group.number: group for group in plan.groups.all()}
    for source in programme.groups.order_by("number"):
        if source.number not in groups:
            groups[source.number] = group_create(actor=admin, resolution=plan,
                                                 number=source.number, name=source.name,
                                                 name_en=source.name_en)
    parents = {task.code: task for task in programme.tasks.all()}
    existing = {task.code: task for task in plan.tasks.all()}
    result, created = [], 0
    for code, group, parent, lead, deadline, title, title_en, progress in PLAN_TASKS:
        task = existing.get(code)
        if task is None:
            task = task_create(
                actor=admin, group=groups[group], code=code, title=title, title_en=title_en,
                lead_unit=units[lead], deadline_text=deadline, implements=parents[parent],
                outputs=[("report", "Báo cáo kết quả thực hiện")],
                competent_authority="minister", responsible_official="Thứ trưởng phụ trách",
                is_illustrative=True)
            created += 1
        result.append((task, progress))
    return result, created
