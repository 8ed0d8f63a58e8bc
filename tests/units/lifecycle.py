"""Helpers of the unit lifecycle tests: record a change as the secretariat confirms it."""

from datetime import date

from units.lifecycle.preview import unit_change_preview
from units.services import unit_change_record

DECISION = {"decision_number": "176/2025/QH15", "decision_date": date(2025, 2, 18)}


def change(unit, kind, *, actor, on, successors=(), assignments=None, **extra):
    """Record (and, when `on` is today or past, apply) a change of `unit` from a fresh
    preview, as the confirmation page does."""
    preview = unit_change_preview(unit=unit, kind=kind, successors=list(successors),
                                  effective_on=on)
    return unit_change_record(unit=unit, kind=kind, effective_on=on, actor=actor,
                              successors=list(successors), assignments=assignments or {},
                              fingerprint=preview.fingerprint, **{**DECISION, **extra})
