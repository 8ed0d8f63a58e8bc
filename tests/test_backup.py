"""make backup / make restore (scripts/backup.py): a restore into an empty database gives back every
row of every table and every uploaded file, byte for byte; a damaged backup, a database that is
not empty or a files directory that is not empty are refused before anything is written.

Real PostgreSQL: the test database is filled through the services (so that the audit history is
written as in use), committed, dumped by the script, and restored into a second database.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from psycopg import sql

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from reports.services import progress_report_approve, progress_report_submit
from tasks.models import Task
from tests.factories import ProgressReportFactory, TaskFactory, UnitFactory, UserFactory
from tests.test_deploy import production_env
from units.models import Notification, User

ROOT = Path(__file__).resolve().parent.parent

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89")


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], dbname="postgres", autocommit=True)


def run_script(*args: str, database: str, media_root: Path, backup_dir: Path):
    env = production_env(DATABASE_URL=database_url(database), DJANGO_MEDIA_ROOT=str(media_root),
                         BACKUP_DIR=str(backup_dir))
    return subprocess.run([sys.executable, "scripts/backup.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def table_rows(dbname: str) -> dict[str, list[tuple]]:
    """Every row of every table of the public schema, in a stable order."""
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                         user=db["USER"], dbname=dbname) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {
            table: conn.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(
                sql.Identifier(table))).fetchall()
            for table in tables
        }


def sequence_values(dbname: str) -> dict[str, int]:
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                         user=db["USER"], dbname=dbname) as conn:
        return dict(conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall())


@pytest.fixture
def restore_database():
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    with admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


@pytest.fixture
def programme(transactional_db):
    """Tasks, reports through their workflow (history rows), evidence files, notifications."""
    department = UnitFactory(code="BYT-TCCB", name="Vụ Tổ chức cán bộ")
    reporter = UserFactory(username="reporter", role=User.Role.REPORTER, unit=department)
    leader = UserFactory(username="leader", role=User.Role.LEADER, unit=department)
    for number in range(3):
        TaskFactory(lead_unit=department, title=f"Nhiệm vụ số {number}: xây dựng Thông tư")
    report = ProgressReportFactory(task=Task.objects.first(), unit=department,
                                   results="Đã trình Bộ trưởng dự thảo Thông tư.")
    evidence_add(report=report, actor=reporter,
                 uploaded=SimpleUploadedFile("Tờ trình số 12.pdf", PDF_BYTES))
    evidence_add(report=report, actor=reporter,
                 uploaded=SimpleUploadedFile("ảnh hội nghị.png", PNG_BYTES))
    progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=ProgressReport.objects.get(pk=report.pk), actor=leader)
    return report


def test_a_restore_into_an_empty_database_gives_back_every_row_and_file(
        programme, restore_database, tmp_path):
    source_db = connection.settings_dict["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    assert Task.objects.count() == 3
    assert EvidenceFile.objects.count() == 2
    assert ProgressReport.history.count() >= 3  # created, submitted, approved
    assert Notification.objects.exists()
    before = table_rows(source_db)
    files_before = {path.relative_to(media_root): path.read_bytes()
                    for path in media_root.rglob("*") if path.is_file()}

    backups = tmp_path / "backups"
    taken = run_script("backup", database=source_db, media_root=media_root, backup_dir=backups)
    assert taken.returncode == 0, taken.stderr
    (backup,) = list(backups.iterdir())
    assert backup.name[:8].isdigit() and backup.name[8] == "-"  # 20251116-023000
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump", "manifest.json", "media.tar.gz"]
    # Everyone's data is in it: readable by its owner only.
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) & 0o077 == 0 for path in backup.iterdir())
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == source_db
    assert manifest["media_files"] == len(files_before) == 2

    restored_media = tmp_path / "restored-media"
    restored = run_script("restore", str(backup), database=restore_database,
                          media_root=restored_media, backup_dir=backups)
    assert restored.returncode == 0, restored.stderr
    assert "2 files" in restored.stdout

    after = table_rows(restore_database)
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    for name in ("tasks_task", "reports_progressreport", "reports_historicalprogressreport",
                 "reports_evidencefile", "units_notification", "units_user"):
        assert before[name], f"{name} should have rows for this test to mean anything"
    # New rows continue the numbering rather than colliding with restored ones.
    assert sequence_values(restore_database) == sequence_values(source_db)

    files_after = {path.relative_to(restored_media): path.read_bytes()
                   for path in restored_media.rglob("*") if path.is_file()}
    assert files_after == files_before
    for evidence in EvidenceFile.objects.all():
        assert (restored_media / evidence.file.name).read_bytes() == (
            media_root / evidence.file.name).read_bytes()


def test_restore_refuses_to_write_over_anything_or_to_use_a_damaged_backup(
        programme, restore_database, tmp_path):
    """Each refusal comes before anything is written. (One backup for the three cases: each
    backup of the test database takes seconds.)"""
    source_db = connection.settings_dict["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    backups = tmp_path / "backups"
    assert run_script("backup", database=source_db, media_root=media_root,
                      backup_dir=backups).returncode == 0
    (backup,) = list(backups.iterdir())

    into_itself = run_script("restore", str(backup), database=source_db,
                             media_root=tmp_path / "empty", backup_dir=backups)
    assert into_itself.returncode == 1
    assert "is not empty" in into_itself.stderr and "--force" in into_itself.stderr
    assert "Traceback" not in into_itself.stderr

    over_files = run_script("restore", str(backup), database=restore_database,
                            media_root=media_root, backup_dir=backups)
    assert over_files.returncode == 1
    assert "already holds files" in over_files.stderr
    assert table_rows(restore_database) == {}

    archive = backup / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    damaged = run_script("restore", str(backup), database=restore_database,
                         media_root=tmp_path / "restored", backup_dir=backups)
    assert damaged.returncode == 1
    assert "media.tar.gz does not match its checksum" in damaged.stderr
    assert table_rows(restore_database) == {}
    assert not (tmp_path / "restored").exists()


def test_backup_needs_postgresql(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         BACKUP_DIR=str(tmp_path / "backups"))
    result = subprocess.run([sys.executable, "scripts/backup.py", "backup"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Backups cover PostgreSQL" in result.stderr
    assert not (tmp_path / "backups").exists() or not os.listdir(tmp_path / "backups")


def test_make_restore_says_how_to_use_it():
    result = subprocess.run(["make", "--no-print-directory", "restore"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FROM": ""})
    assert result.returncode == 2
    assert "make restore FROM=var/backups/<time>" in result.stderr


def test_a_forced_restore_puts_a_database_in_use_back_as_it_was(programme, tmp_path):
    """What docker-compose's restore does: over the stack's own database and files."""
    source_db = connection.settings_dict["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    before = table_rows(source_db)
    backups = tmp_path / "backups"
    assert run_script("backup", database=source_db, media_root=media_root,
                      backup_dir=backups).returncode == 0
    (backup,) = list(backups.iterdir())

    # Afterwards: a task added, an evidence file's bytes overwritten.
    TaskFactory(lead_unit=programme.unit, title="Thêm sau khi sao lưu")
    evidence = EvidenceFile.objects.first()
    original = (media_root / evidence.file.name).read_bytes()
    (media_root / evidence.file.name).write_bytes(b"changed")
    connection.close()

    result = run_script("restore", str(backup), "--force", database=source_db,
                        media_root=media_root, backup_dir=backups)
    assert result.returncode == 0, result.stderr
    assert table_rows(source_db) == before
    assert (media_root / evidence.file.name).read_bytes() == original
