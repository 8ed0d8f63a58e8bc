import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from tasks.reference import reference_load
from units.reference import UnitFileError, unit_reference_load, unit_rows_read

FORMAT = """\
A units file (--file, and fixtures/units.json) is JSON: {"units": [row, ...]}, each row
  {"code": "BTC", "name": "Bộ Tài chính", "name_en": "Ministry of Finance",
   "short_name": "BTC", "kind": "ministry", "parent": "CP",
   "members": ["..."], "is_active": true,
   "aliases": [{"text": "Bộ Kế hoạch và Đầu tư", "kind": "old_name", "note": "..."}]}
code, name and kind are required (kind: party_body, national_assembly, government, ministry,
department, agency, province, provincial_department, collective); parent is a unit code or null;
members (a collective designation's units) are unit codes; an alias's kind is short_form,
old_name or variant. A key left out leaves that part of an existing unit as it is; keys starting
with "_" are comments. Units are matched by code."""


class _KeepLayout(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The help's description printed as written (the format is an example)."""


class Command(BaseCommand):
    help = """\
Load the reference data that ships with the product: the units (ministries and agencies, Party
and National Assembly bodies, the 34 provinces' People's Committees and Departments of Health,
the Ministry of Health's departments, collective designations; with their short forms, written
variants and former names) and the resolutions 72, 282, 59, 70, 71 with their task groups.
Safe to run again: what is missing is created, a unit loaded before is brought up to date, and
a unit an administrator has changed since (its history shows it) is left alone unless --force.

""" + FORMAT

    def create_parser(self, *args, **kwargs):
        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = _KeepLayout
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path,
                            help="load the units of this file (format below) instead of the "
                                 "reference data that ships")
        parser.add_argument("--force", action="store_true",
                            help="also overwrite the units an administrator has changed")

    def handle(self, *args, file=None, force=False, **options):
        try:
            if file is not None:
                units = unit_reference_load(rows=unit_rows_read(file), force=force,
                                            source=file.name)
                tail = ""
            else:
                summary = reference_load(force=force)
                units = summary.units
                tail = (f"; {summary.resolutions} resolutions, {summary.groups} task groups "
                        "created")
        except UnitFileError as error:
            raise CommandError(str(error)) from error
        self._list("Created", units.created, always=options["verbosity"] > 1)
        self._list("Updated", units.updated)
        self._list("Skipped, changed by an administrator (--force to overwrite)", units.skipped)
        self.stdout.write(self.style.SUCCESS(
            f"Units: {len(units.created)} created, {len(units.updated)} updated, "
            f"{len(units.skipped)} skipped, {units.unchanged} unchanged{tail}."))

    def _list(self, label: str, codes: list[str], *, always: bool = True) -> None:
        if codes and (always or len(codes) <= 20):
            self.stdout.write(f"{label}: {', '.join(codes)}")
