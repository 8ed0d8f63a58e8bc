"""manage.py import_tasks FILE --resolution 282/NQ-CP [--dry-run] [--map NAMES]: a task list from
Excel or CSV; NAMES maps names the file gives to units (see tasks/exchange/mappings.py)."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from tasks.exchange.importing import (
    Decision,
    ImportOptions,
    ImportRowError,
    decision_errors,
    import_apply,
    import_plan,
)
from tasks.exchange.mappings import MappingError, unit_map_read
from tasks.exchange.reading import FileRefused, table_read
from tasks.models import Authority, Resolution
from units.models import Unit, User
from units.services import unit_alias_add


def _day(value: str):
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"--decision-date must be dd/mm/yyyy, not {value!r}") from exc


class Command(BaseCommand):
    help = ("Import a programme's task list (Excel .xlsx or CSV) into a resolution. Every row is "
            "checked first: if any is wrong, each error is listed with its row number and "
            "nothing is written. Tasks are matched by code, so importing the same file again "
            "changes nothing. A deadline already imported changes only with --decision-number, "
            "--decision-date and --decision-authority. A name the file gives that no unit bears "
            "is read as the unit --map says (a file of lines \"name;code\" or "
            "\"name<TAB>code\"), and remembered as that unit's alias when the file is imported.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--resolution", required=True, help='its number, e.g. "282/NQ-CP"')
        parser.add_argument("--dry-run", action="store_true",
                            help="check and show what would change; write nothing")
        parser.add_argument("--number-within-group", action="store_true",
                            help="the code column starts again at 1 in each group (3 in "
                                 "group II becomes 2.3)")
        parser.add_argument("--user", help="the username the changes are recorded under "
                                           "(required unless --dry-run)")
        parser.add_argument("--map", dest="unit_map", type=Path, metavar="FILE",
                            help="names the file gives mapped to units: one a line, the name "
                                 "then a tab or a semicolon then the unit's code")
        parser.add_argument("--decision-number")
        parser.add_argument("--decision-date", type=_day, help="dd/mm/yyyy")
        parser.add_argument("--decision-authority", choices=Authority.values)
        parser.add_argument("--decision-reason", default="")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="language of the messages")

    def handle(self, *args, **options):
        with override(options["lang"]):
            return self._handle(**options)

    def _handle(self, *, file: Path, resolution: str, dry_run: bool, number_within_group: bool,
                user: str | None, **options):
        found = Resolution.objects.filter(number=resolution).first()
        if found is None:
            raise CommandError(_("No resolution numbered %(number)s.") % {"number": resolution})
        actor = None
        if not user and not dry_run:
            raise CommandError(_("Give --user: every change is recorded under the person who "
                                 "made it."))
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": user})
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            table = table_read(content=content, name=file.name)
        except FileRefused as refused:
            raise CommandError(" ".join(refused.messages)) from refused

        unit_map = self._unit_map(options.get("unit_map"))
        plan = import_plan(resolution=found, table=table,
                           options=ImportOptions(number_within_group=number_within_group),
                           unit_map=unit_map)
        decision = None
        if options.get("decision_number"):
            decision = Decision(number=options["decision_number"],
                                date=options.get("decision_date"),
                                authority=options.get("decision_authority") or "",
                                reason=options.get("decision_reason", ""))
        self._show(plan)
        errors = list(plan.errors)
        if not dry_run and decision_errors(plan, decision):
            errors += [{"row": change["row"], "code": change["code"], "message": _(
                "the deadline changes (%(old)s → %(new)s): a deadline changes only by a "
                "decision; give --decision-number, --decision-date and --decision-authority.")
                % change} for change in plan.deadline_changes]
        if errors:
            for error in errors:
                where = (_("row %(row)s") % {"row": error["row"]}) if error["row"] else _("file")
                self.stderr.write(f"{where}: {error['message']}")
            raise CommandError(_("%(count)s errors: nothing was written.")
                               % {"count": len(errors)})
        counts = plan.counts()
        summary = _("%(create)s to create, %(update)s to update, %(unchanged)s unchanged.") % counts
        if dry_run:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
            return
        reason = _("Imported from %(file)s by the import_tasks command") % {"file": file.name}
        try:
            with transaction.atomic():
                for name, unit in unit_map.items():
                    unit_alias_add(unit=unit, text=name, actor=actor)
                import_apply(plan=plan, actor=actor, reason=reason, decision=decision)
        except ImportRowError as refused:
            raise CommandError(_("row %(row)s: %(message)s; nothing was written.")
                               % {"row": refused.row,
                                  "message": " ".join(refused.messages)}) from refused
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(_("Imported: %(summary)s") % {"summary": summary}))

    def _unit_map(self, path: Path | None) -> dict[str, Unit]:
        """{name: unit} of the --map file; CommandError naming each wrong line."""
        if path is None:
            return {}
        try:
            codes = unit_map_read(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"--map: {exc}") from exc
        except MappingError as refused:
            raise CommandError("--map: " + " ".join(refused.messages)) from refused
        units = Unit.objects.in_bulk(set(codes.values()), field_name="code")
        unknown = sorted({code for code in codes.values() if code not in units})
        if unknown:
            raise CommandError(_("--map: no unit has the code %(codes)s.")
                               % {"codes": ", ".join(unknown)})
        return {name: units[code] for name, code in codes.items()}

    def _show(self, plan) -> None:
        for row in plan.rows:
            if row.action == "unchanged":
                continue
            label = _("create") if row.action == "create" else _("update")
            self.stdout.write(f"{row.number}\t{row.code}\t{label}")
            for change in row.changes:
                new = change["new"].replace("\n", " / ")
                self.stdout.write(f"\t\t{change['field']}: {new}")
        for change in plan.deadline_changes:
            self.stdout.write(_("row %(row)s: deadline of %(code)s: %(old)s → %(new)s")
                              % change)
