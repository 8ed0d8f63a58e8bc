"""The error summary of a refused form: every problem in one place at the top of the form, each
linked to its field. It is a `role="alert"` region that takes the focus when the page opens, so a
screen reader announces it and the keyboard starts from it; the fields themselves carry
`aria-invalid` and point at their own message with `aria-describedby` (Django's BoundField does
both when the message's id is `<field id>_error`, as templates/includes/field.html writes it)."""

from django import template

register = template.Library()


def _form_items(form, row_label: str = "") -> list[dict]:
    items = []
    for error in form.non_field_errors():
        items.append({"label": row_label, "message": error, "anchor": ""})
    for field in form:
        for error in field.errors:
            label = " · ".join(part for part in (row_label, str(field.label or "")) if part)
            items.append({"label": label, "message": error,
                          "anchor": "" if field.is_hidden else field.auto_id})
    return items


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms):
    """The summary of the errors of `forms` (forms or formsets; None is skipped), or nothing
    when they have none. A formset row is named by the object it edits (its `output`, or the
    row's number)."""
    items = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if hasattr(form, "non_form_errors"):  # a formset
            items += [{"label": "", "message": e, "anchor": ""} for e in form.non_form_errors()]
            for number, row in enumerate(form.forms, start=1):
                items += _form_items(row, str(getattr(row, "output", "") or number))
        else:
            items += _form_items(form)
    return {"items": items}
