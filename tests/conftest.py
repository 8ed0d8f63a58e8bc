import pytest

from tests.factories import UnitFactory, UserFactory
from units.models import User


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit(db):
    return UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")


@pytest.fixture
def department(unit):
    return UnitFactory(code="BYT-TCCB", name="Vụ Tổ chức cán bộ", parent=unit)


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="BNV", name="Bộ Nội vụ", kind="ministry")


@pytest.fixture
def reporter(department):
    return UserFactory(username="reporter", role=User.Role.REPORTER, unit=department)


@pytest.fixture
def leader(department):
    return UserFactory(username="leader", role=User.Role.LEADER, unit=department)


@pytest.fixture
def other_reporter(other_unit):
    return UserFactory(username="reporter2", role=User.Role.REPORTER, unit=other_unit)


@pytest.fixture
def secretariat(unit):
    return UserFactory(username="secretariat", role=User.Role.SECRETARIAT, unit=unit)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A folder for make run's SQLite database migrated once per run; tests copy it
    (tests.local_sqlite.migrated) rather than migrate their own."""
    return tmp_path_factory.mktemp("sqlite-template")
