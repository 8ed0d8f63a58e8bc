"""A small cascade for the tests: a programme, a ministry's plan and a province's plan under it."""

from datetime import date

from tasks.models import Resolution
from tests.factories import ResolutionFactory, TaskFactory, TaskGroupFactory, UnitFactory


def cascade_world():
    ministry = UnitFactory(code="M", name="Bộ Y tế (thử)", kind="ministry")
    first = UnitFactory(code="M-A", name="Vụ A", parent=ministry)
    second = UnitFactory(code="M-B", name="Vụ B", parent=ministry)
    province = UnitFactory(code="P", name="Tỉnh P", kind="province")
    programme = ResolutionFactory(number="282/NQ-CP")
    group = TaskGroupFactory(resolution=programme, number=1)
    parent = TaskFactory(group=group, code="1.1", lead_unit=first, deadline=date(2026, 6, 30))
    other = TaskFactory(group=group, code="1.2", lead_unit=second, deadline=date(2026, 6, 30))
    provincial = TaskFactory(group=group, code="1.3", lead_unit=province,
                             deadline=date(2026, 6, 30))
    plan = ResolutionFactory(number="KH-M", kind=Resolution.Kind.PLAN, implements=programme,
                             owner_unit=ministry, issuer="Bộ Y tế", issued_on=date(2025, 10, 16))
    plan_group = TaskGroupFactory(resolution=plan, number=1)
    late = TaskFactory(group=plan_group, code="1.1.1", lead_unit=first, implements=parent,
                       deadline=date(2026, 12, 31))
    early = TaskFactory(group=plan_group, code="1.1.2", lead_unit=second, implements=parent,
                        deadline=date(2026, 3, 31))
    return {"ministry": ministry, "first": first, "second": second, "province": province,
            "programme": programme, "group": group, "parent": parent, "other": other,
            "provincial": provincial, "plan": plan, "plan_group": plan_group, "late": late,
            "early": early}
