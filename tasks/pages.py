"""The task page's sections contributed by the apps built on tasks.

tasks never imports those apps: one that has something to show on a task's page (reports: every
period's reports, their history, the links to write this period's) registers a provider here in
its AppConfig.ready(). A provider is called with (request, task) when the page is drawn and
returns a Section: the templates it draws in the page's slots and the context they read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

SLOTS = ("main", "side")


@dataclass(frozen=True)
class Section:
    #: What the section's templates read, beside the page's own context.
    context: dict = field(default_factory=dict)
    #: Drawn in the main column, after the outputs.
    main: str = ""
    #: Drawn in the side column, after the deadline changes.
    side: str = ""


class SectionRegistry:
    """The providers of a page's sections, called in the order they registered."""

    def __init__(self) -> None:
        self._providers: list[Callable] = []

    def register(self, provider: Callable) -> Callable:
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def sections(self, request, task) -> list[Section]:
        return [provider(request, task) for provider in self._providers]


task_page_sections = SectionRegistry()
