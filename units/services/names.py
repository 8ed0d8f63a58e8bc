"""Units and their aliases, as an import resolves the names it did not know: a name read as a
known unit from now on, or a unit created. Each takes the acting user and leaves an audit
record (the model history)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited

from ..models import Unit, UnitAlias, User
from ..names import name_key


@transaction.atomic
def unit_alias_add(*, unit, text: str, actor: User | None,
                   kind: str = "variant", note: str = ""):
    """Remember `text` as another way documents write `unit`, so the importer reads it as that
    unit from now on. Idempotent: the same text for the same unit returns the alias it has.
    ValidationError when the text is blank or too long."""
    text = " ".join((text or "").split())
    existing = UnitAlias.objects.filter(unit=unit, key=name_key(text)).first() if text else None
    if existing is not None:
        return existing
    alias = UnitAlias(unit=unit, text=text, kind=kind, note=note.strip())
    alias.full_clean()
    audited(alias, actor, _("Unit alias added")).save()
    return alias


@transaction.atomic
def unit_create(*, code: str, name: str, kind: str, actor: User | None, parent=None,
                short_name: str = ""):
    """Create a unit. ValidationError (by field) when the code is taken or a field is wrong."""
    unit = Unit(code=code.strip(), name=" ".join((name or "").split()), kind=kind,
                parent=parent, short_name=short_name.strip())
    unit.full_clean()
    audited(unit, actor, _("Unit created")).save()
    return unit
