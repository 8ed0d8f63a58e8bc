"""Every write to indicators, their targets and their values (see each module)."""

from .indicators import (
    INDICATOR_FIELDS,
    StaleIndicatorError,
    indicator_create,
    indicator_target_remove,
    indicator_target_set,
    indicator_update,
)
from .values import (
    VALUE_FIELDS,
    StaleValueError,
    ValueSaved,
    indicator_value_approve,
    indicator_value_reopen,
    indicator_value_return,
    indicator_value_save,
    indicator_value_submit,
)

__all__ = [
    "INDICATOR_FIELDS",
    "VALUE_FIELDS",
    "StaleIndicatorError",
    "StaleValueError",
    "ValueSaved",
    "indicator_create",
    "indicator_target_remove",
    "indicator_target_set",
    "indicator_update",
    "indicator_value_approve",
    "indicator_value_reopen",
    "indicator_value_return",
    "indicator_value_save",
    "indicator_value_submit",
]
