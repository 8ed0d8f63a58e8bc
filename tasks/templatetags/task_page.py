"""Drawing the sections other apps contribute to the task page (see tasks.pages)."""

from django import template
from django.utils.safestring import mark_safe

from ..pages import SLOTS

register = template.Library()


@register.simple_tag(takes_context=True)
def task_page_slot(context, sections, slot: str) -> str:
    """The sections' templates for `slot`, each drawn like an include: with the page's context
    and the section's own on top of it."""
    if slot not in SLOTS:
        raise template.TemplateSyntaxError(f"unknown slot {slot!r}")
    drawn = []
    for section in sections:
        name = getattr(section, slot)
        if name:
            with context.push(section.context):
                drawn.append(context.template.engine.get_template(name).render(context))
    return mark_safe("".join(drawn))  # drawn by our templates, every value escaped there
