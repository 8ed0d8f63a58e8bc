"""Events other systems may subscribe to: a task's status class changed, a report was approved...

The apps that see an event declare its kind here (`tasks/kinds.py`, `reports/kinds.py`), each
with `visible(user, object_id) -> bool`: whether that user could read the object the event is
about (built on the app's own `*_visible_to` selectors), so a subscriber learns only what its
owner may read. A service calls `event_emit` inside its transaction; the handlers registered
here (the webhooks app's outbox) write their rows in that same transaction, so an event is stored
exactly when the change that caused it is. A kind no handler listens to costs nothing.

Kinds declared later (e.g. "explanation requested" or "answered") need only a `register` call
and an `event_emit` in the service that makes the change.
"""

from collections.abc import Callable

from .kinds import Kinds

#: value ("task.status_changed"), label, and `visible(user, object_id) -> bool`.
EVENT_KINDS = Kinds("event")

_handlers: list[Callable] = []


def event_kind_choices() -> list:
    return EVENT_KINDS.choices


def event_handler_register(handler: Callable) -> None:
    """`handler(kind=..., key=..., object_id=..., data=...)` is called for every event."""
    if handler not in _handlers:
        _handlers.append(handler)


def event_visible(kind: str, *, user, object_id: int) -> bool:
    """Whether `user` may read what the event of `kind` about `object_id` is about."""
    visible = EVENT_KINDS.attribute(kind, "visible")
    return bool(visible and user.is_active and visible(user, object_id))


def event_emit(*, kind: str, key: str, object_id: int, data: dict) -> None:
    """Tell every handler about an event, inside the caller's transaction.

    `key` names the event once and for all ("report.approved:42:3"): the same event emitted again
    (a job run twice) is stored once. `data` is JSON-ready and holds no person's name or free
    text typed by a user: only ids, codes, states and dates."""
    if kind not in EVENT_KINDS.values:
        raise ValueError(f"no event kind {kind!r} has been declared")
    for handler in _handlers:
        handler(kind=kind, key=key, object_id=object_id, data=data)
