"""A small world for explanation requests: the department of the root conftest leads a task
overdue by ten days; leadership asks, the department's leader answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.services import explanation_request_create
from tests.factories import TaskFactory, UserFactory
from units.models import User

MESSAGE = "Đề nghị giải trình lý do chậm tiến độ và giải pháp khắc phục."


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


@pytest.fixture
def other_leader(other_unit):
    return UserFactory(username="leader2", role=User.Role.LEADER, unit=other_unit)


@pytest.fixture
def overdue_task(department):
    return TaskFactory(code="2.3", lead_unit=department,
                       title="Xây dựng Đề án đổi mới cơ chế tài chính của bệnh viện công lập",
                       deadline=timezone.localdate() - timedelta(days=10))


def ask(task, actor, **kwargs):
    return explanation_request_create(actor=actor, kind="overdue_task", task=task,
                                      message=MESSAGE, **kwargs)


@pytest.fixture
def asked(overdue_task, leadership, leader):
    return ask(overdue_task, leadership)
