#!/usr/bin/env python3
"""Back up, and restore, the database and the uploaded files.

    python scripts/backup.py backup [--to DIR]          (make backup)
    python scripts/backup.py restore DIR [--force]      (make restore FROM=DIR)

A backup is a directory named after the time it was taken (BACKUP_DIR/20251116-023000, BACKUP_DIR
being var/backups unless set) holding:

    database.dump   pg_dump's custom format: every table with its rows, sequences, constraints
    media.tar.gz    the uploaded files (DJANGO_MEDIA_ROOT: evidence, outputs, monthly reports)
    manifest.json   when, from which database, each file's size and SHA-256

The database and the files are those of the settings in use, as for manage.py (DATABASE_URL,
DJANGO_MEDIA_ROOT; DJANGO_SETTINGS_MODULE, config.settings.local by default). A backup holds
everything, password hashes and officials' data included: the directory is readable by its owner
only; keep copies off the server.

Restore checks every checksum first, then refuses to write over anything (the database must have
no tables: a new, empty database; the files' directory must hold no files) unless --force; then
restores the database in one transaction and the files. Needs pg_dump and pg_restore (Debian:
postgresql-client) of the server's major version or later.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A problem the person running the command can act on; printed without a traceback."""


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def _database():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError(
            f"Backups cover PostgreSQL; the database in use is {database['ENGINE']} "
            f"({database['NAME']}). Set DATABASE_URL to the PostgreSQL database.")
    return database


def _pg_env(database) -> dict[str, str]:
    """libpq's variables for the database: the password never appears on a command line."""
    env = dict(os.environ)
    options = database.get("OPTIONS") or {}
    for variable, value in (("PGHOST", database.get("HOST")), ("PGPORT", database.get("PORT")),
                            ("PGUSER", database.get("USER")),
                            ("PGPASSWORD", database.get("PASSWORD")),
                            ("PGDATABASE", database.get("NAME")),
                            ("PGSSLMODE", options.get("sslmode")),
                            ("PGCONNECT_TIMEOUT", options.get("connect_timeout"))):
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file() or path.is_symlink())


def backup(destination: Path | None = None) -> Path:
    """Take a backup; returns its directory."""
    from django.conf import settings

    database = _database()
    pg_dump = _tool("pg_dump")
    parent = Path(destination or settings.BACKUP_DIR)
    parent.mkdir(parents=True, exist_ok=True)
    taken_at = datetime.now().astimezone()
    final = parent / taken_at.strftime("%Y%m%d-%H%M%S")
    if final.exists():
        raise BackupError(f"{final} already exists.")
    # Written under another name and renamed at the end: a directory with the final name is
    # always a complete backup.
    partial = parent / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    old_umask = os.umask(0o077)
    try:
        _run([pg_dump, "--format=custom", "--compress=6", f"--file={partial / DATABASE_FILE}"],
             _pg_env(database))
        media_root = Path(settings.MEDIA_ROOT)
        files = _media_files(media_root)
        with tarfile.open(partial / MEDIA_FILE, "w:gz") as archive:
            for path in files:
                archive.add(path, arcname=path.relative_to(media_root).as_posix(),
                            recursive=False)
        manifest = {
            "format": FORMAT,
            "taken_at": taken_at.isoformat(timespec="seconds"),
            "database": database["NAME"],
            "media_root": str(media_root),
            "media_files": len(files),
            "files": {
                name: {"bytes": (partial / name).stat().st_size,
                       "sha256": _sha256(partial / name)}
                for name in (DATABASE_FILE, MEDIA_FILE)
            },
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    partial.rename(final)
    return final


def _verify(source: Path) -> dict:
    manifest_path = source / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST_FILE}.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}.")
    for name in (DATABASE_FILE, MEDIA_FILE):
        expected = manifest["files"][name]
        path = source / name
        if not path.is_file():
            raise BackupError(f"{source}: {name} is missing.")
        if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{source}: {name} does not match its checksum; "
                              "the backup is damaged and was not restored.")
    return manifest


def _extract(archive_path: Path, media_root: Path) -> int:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        if hasattr(tarfile, "data_filter"):
            # Refuses absolute paths, "..", links out of the directory, devices.
            archive.extractall(media_root, members=members, filter="data")
        else:  # Python before 3.11.4
            base = media_root.resolve()
            for member in members:
                target = (media_root / member.name).resolve()
                if not (member.isfile() or member.isdir()) or base not in (target, *target.parents):
                    raise BackupError(f"{archive_path}: refusing the entry {member.name!r}.")
            archive.extractall(media_root, members=members)
    return sum(1 for member in members if member.isfile())


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore a backup into the database and files directory of the settings in use."""
    from django.conf import settings
    from django.db import DatabaseError, connection

    source = Path(source)
    manifest = _verify(source)
    database = _database()
    pg_restore = _tool("pg_restore")
    media_root = Path(settings.MEDIA_ROOT)

    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        raise BackupError(
            f"Cannot open the database {database['NAME']} ({error}). Create it first "
            f"(createdb {database['NAME']}) and check DATABASE_URL.") from None
    finally:
        connection.close()
    if tables and not force:
        raise BackupError(
            f"The database {database['NAME']} is not empty ({len(tables)} tables). Restore into "
            "a new, empty database (createdb, then DATABASE_URL), or add --force to replace "
            "what it holds.")
    if _media_files(media_root) and not force:
        raise BackupError(
            f"{media_root} already holds files. Restore into an empty directory "
            "(DJANGO_MEDIA_ROOT), or add --force to write over them.")

    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={database['NAME']}"]
    if tables:
        command += ["--clean", "--if-exists"]
    _run([*command, str(source / DATABASE_FILE)], _pg_env(database))
    restored_files = _extract(source / MEDIA_FILE, media_root)
    return {"database": database["NAME"], "media_root": str(media_root),
            "files": restored_files, "taken_at": manifest["taken_at"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("backup", help="take a backup")
    take.add_argument("--to", type=Path, help="parent directory (default: BACKUP_DIR)")
    back = commands.add_parser("restore", help="restore a backup")
    back.add_argument("source", type=Path, help="the backup's directory")
    back.add_argument("--force", action="store_true",
                      help="replace a database that has tables and files already there")
    args = parser.parse_args(argv)
    try:
        _setup_django()
        if args.command == "backup":
            where = backup(args.to)
            manifest = json.loads((where / MANIFEST_FILE).read_text())
            print(f"Backup written to {where} ({manifest['media_files']} uploaded files).")
        else:
            outcome = restore(args.source, force=args.force)
            print(f"Restored the backup of {outcome['taken_at']} into the database "
                  f"{outcome['database']} and {outcome['files']} files into "
                  f"{outcome['media_root']}.")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
