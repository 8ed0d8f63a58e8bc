"""Every write of the units app that is more than an admin form, one module per entity: API
tokens (`tokens`), a unit's life (`lifecycle`), the names an import learns (`names`). Each
takes the acting user and leaves an audit record (the model histories). Callers import from
`units.services`."""

from .lifecycle import (
    unit_change_apply,
    unit_change_note_problem,
    unit_change_record,
    unit_children_pass_on,
    unit_users_pass_on,
)
from .names import unit_alias_add, unit_create
from .tokens import LAST_USED_RESOLUTION, api_token_issue, api_token_mark_used, api_token_revoke

__all__ = [
    "LAST_USED_RESOLUTION",
    "api_token_issue",
    "api_token_mark_used",
    "api_token_revoke",
    "unit_change_apply",
    "unit_change_note_problem",
    "unit_change_record",
    "unit_children_pass_on",
    "unit_users_pass_on",
    "unit_alias_add",
    "unit_create",
]
