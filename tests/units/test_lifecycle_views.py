"""A unit's life in the browser: the list on a date, a unit's history, a merge and a split
typed, previewed and confirmed; what the wrong role, a stale preview and bad input get."""

import re
from datetime import date

import pytest
from django.urls import reverse

from reports.models import ProgressReport
from tasks.models import Task
from tests.factories import ProgressReportFactory, TaskFactory, UnitFactory, UserFactory
from units.models import Unit, UnitChange, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def planning(db):
    return UnitFactory(code="BKHDT", name="Bộ Kế hoạch và Đầu tư", kind=Unit.Kind.MINISTRY)


@pytest.fixture
def finance(db):
    return UnitFactory(code="BTC", name="Bộ Tài chính", kind=Unit.Kind.MINISTRY)


@pytest.fixture
def home(db):
    return UnitFactory(code="BNV2", name="Bộ Nội vụ mới", kind=Unit.Kind.MINISTRY)


def _typed(kind, **extra):
    return {"kind": kind, "effective_on": "01/03/2025", "decision_number": "176/2025/QH15",
            "decision_date": "18/02/2025", "decision_text": "", "new_name": "", **extra}


def _hidden(page: str) -> dict:
    """The hidden inputs and chosen selects of the preview's confirmation form."""
    form = page.split('name="confirm"')[0].rsplit("<form", 1)[1] + page.split(
        'name="confirm"')[1].split("</form>")[0]
    values = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        values.setdefault(name, []).append(value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="(\d+)" selected>', body)
        values[name] = chosen
    values["confirm"] = ["1"]
    return values


def test_a_merge_through_the_browser_moves_tasks_and_users_and_nothing_else(
        client, secretariat, planning, finance, other_unit):
    led = TaskFactory(lead_unit=planning)
    done = TaskFactory(lead_unit=planning, completed_on=date(2025, 1, 10))
    other = TaskFactory(lead_unit=other_unit)
    report = ProgressReportFactory(task=led, unit=planning)
    person = UserFactory(username="cv-khdt", unit=planning)
    bystander = UserFactory(username="cv-bnv", unit=other_unit)
    client.force_login(secretariat)

    preview = client.post(reverse("unit_change", args=[planning.pk]),
                          _typed("merge", successor=finance.pk))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert led.code in page and person.username in page and done.title not in page
    confirm = client.post(reverse("unit_change", args=[planning.pk]), _hidden(page))

    assert confirm.status_code == 302
    assert Task.objects.get(pk=led.pk).lead_unit == finance
    assert Task.objects.get(pk=done.pk).lead_unit == planning
    assert Task.objects.get(pk=other.pk).lead_unit == other_unit
    assert ProgressReport.objects.get(pk=report.pk).unit == planning
    assert User.objects.get(pk=person.pk).unit == finance
    assert User.objects.get(pk=bystander.pk).unit == other_unit
    detail = client.get(confirm["Location"]).content.decode()
    assert "01/03/2025" in detail and "176/2025/QH15" in detail and "Bộ Tài chính" in detail


def test_a_split_through_the_browser_names_who_takes_which(client, secretariat, planning,
                                                           finance, home):
    first, second = TaskFactory(lead_unit=planning), TaskFactory(lead_unit=planning)
    person = UserFactory(username="cv-khdt", unit=planning)
    client.force_login(secretariat)
    url = reverse("unit_change", args=[planning.pk])
    page = client.post(url, _typed("split", successor=finance.pk,
                                   other_successors=[home.pk])).content.decode()
    assert "Bộ Nội vụ mới" in page
    sent = _hidden(page)
    sent.update({f"take-task-lead:{first.pk}": [str(finance.pk)],
                 f"take-task-lead:{second.pk}": [str(home.pk)]})

    refused = client.post(url, sent)  # the user has no successor: nothing happens
    assert refused.status_code == 200
    assert "cv-khdt" in refused.content.decode() and UnitChange.objects.count() == 0
    assert f'value="{home.pk}" selected' in refused.content.decode()  # choices kept

    sent[f"take-user:{person.pk}"] = [str(home.pk)]
    assert client.post(url, sent).status_code == 302
    assert Task.objects.get(pk=first.pk).lead_unit == finance
    assert Task.objects.get(pk=second.pk).lead_unit == home
    assert User.objects.get(pk=person.pk).unit == home
    assert Unit.objects.get(pk=planning.pk).valid_to == date(2025, 3, 1)


def test_a_preview_gone_stale_is_refused_and_shown_again(client, secretariat, planning,
                                                         finance):
    client.force_login(secretariat)
    url = reverse("unit_change", args=[planning.pk])
    sent = _hidden(client.post(url, _typed("merge", successor=finance.pk)).content.decode())
    newcomer = TaskFactory(lead_unit=planning, title="Nhiệm vụ giao sau khi xem trước")
    response = client.post(url, sent)
    page = response.content.decode()
    assert response.status_code == 200 and "đã thay đổi kể từ khi xem trước" in page
    assert newcomer.title in page
    assert UnitChange.objects.count() == 0 and Task.objects.get().lead_unit == planning


def test_the_form_keeps_what_was_typed_on_errors(client, secretariat, planning, finance, home):
    client.force_login(secretariat)
    url = reverse("unit_change", args=[planning.pk])
    response = client.post(url, _typed("merge", successor=finance.pk, effective_on="31/02/2025",
                                       decision_text="Nghị quyết về cơ cấu tổ chức"))
    page = response.content.decode()
    assert "Hãy nhập ngày theo dạng dd/mm/yyyy." in page
    assert "Nghị quyết về cơ cấu tổ chức" in page and 'value="176/2025/QH15"' in page
    response = client.post(url, _typed("merge", successor=finance.pk,
                                       other_successors=[home.pk]))
    assert "đúng một đơn vị kế thừa" in response.content.decode()
    assert UnitChange.objects.count() == 0


def test_the_list_shows_dates_and_successors_and_the_tree_on_a_date(client, secretariat,
                                                                    planning, finance):
    planning.valid_to = date(2025, 3, 1)
    planning.save()
    client.force_login(secretariat)
    everything = client.get(reverse("unit_list")).content.decode()
    assert "Bộ Kế hoạch và Đầu tư" in everything and "01/03/2025" in everything
    before = client.get(reverse("unit_list"), {"on": "28/02/2025"}).content.decode()
    after = client.get(reverse("unit_list"), {"on": "01/03/2025"}).content.decode()
    assert "Bộ Kế hoạch và Đầu tư" in before and "Bộ Kế hoạch và Đầu tư" not in after
    assert "Bộ Tài chính" in after
    wrong = client.get(reverse("unit_list"), {"on": "2025-13-01"}).content.decode()
    assert 'value="2025-13-01"' in wrong and "Bộ Kế hoạch và Đầu tư" in wrong


@pytest.mark.parametrize("role", [User.Role.SECRETARIAT, User.Role.ADMIN])
def test_the_programme_office_may_open_every_page(client, role, planning, unit):
    client.force_login(UserFactory(username="office", role=role, unit=unit))
    for url in (reverse("unit_list"), reverse("unit_detail", args=[planning.pk]),
                reverse("unit_change", args=[planning.pk])):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.LEADER, User.Role.LEADERSHIP])
def test_other_roles_are_refused_every_page_and_change_nothing(client, role, planning, finance,
                                                               department):
    task = TaskFactory(lead_unit=planning)
    client.force_login(UserFactory(username="someone", role=role, unit=department))
    for url in (reverse("unit_list"), reverse("unit_detail", args=[planning.pk]),
                reverse("unit_change", args=[planning.pk])):
        assert client.get(url).status_code == 403
    response = client.post(reverse("unit_change", args=[planning.pk]),
                           {**_typed("merge", successor=finance.pk), "confirm": "1"})
    assert response.status_code == 403
    assert Task.objects.get(pk=task.pk).lead_unit == planning
    assert not UnitChange.objects.exists()


def test_an_ended_unit_cannot_be_changed_again(client, secretariat, planning):
    planning.valid_to = date(2025, 3, 1)
    planning.save()
    client.force_login(secretariat)
    assert client.get(reverse("unit_change", args=[planning.pk])).status_code == 403
    assert "Đổi tên, hợp nhất" not in client.get(
        reverse("unit_detail", args=[planning.pk])).content.decode()
