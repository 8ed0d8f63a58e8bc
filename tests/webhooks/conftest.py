import pytest

from tests.factories import UserFactory
from tests.webhooks.receiver import Receiver
from units.models import User


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.stop()


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=User.Role.ADMIN, unit=None, is_staff=True,
                       full_name="Quản Trị Viên")
