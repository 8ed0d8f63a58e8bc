"""Buttons that apps higher up add to a lower app's page (e.g. "Ask for an explanation" on an
indicator's page or a report's page): the lower app never imports them.

A page names itself ("indicator", "report") and calls `page_actions(name, request, **objects)`;
each provider registered for that name (in an AppConfig.ready()) is called with the request and
those objects and returns a list of PageAction, drawn by templates/includes/page_actions.html.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageAction:
    label: str
    url: str
    #: The element's id, for tests and the page's own links.
    html_id: str = ""


_providers: dict[str, list[Callable]] = defaultdict(list)


def register_page_action(page: str, provider: Callable) -> None:
    if provider not in _providers[page]:
        _providers[page].append(provider)


def page_actions(page: str, request, **objects) -> list[PageAction]:
    return [action for provider in _providers[page] for action in provider(request, **objects)]
