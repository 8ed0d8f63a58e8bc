"""What a unit holds that must pass to a successor when it ends: a registry the apps fill.

`units` knows nothing of tasks, so each app that gives units something to hold (the tasks they
lead or coordinate, their users, the units under them) registers a duty in its
`AppConfig.ready()`: a `holdings(unit, on)` callable listing what the unit holds on a date, in a
fixed number of queries, and a `move(moves, change, actor)` callable that passes each holding to
the unit named for it ({holding key: unit}), writing through the app's services.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Holding:
    """One thing a unit holds: `key` is unique across duties ("task-lead:12")."""

    key: str
    label: str
    #: How the unit holds it ("leads", "coordinates", a user's role...).
    role: str = ""


@dataclass(frozen=True)
class Duty:
    name: str
    label: object
    holdings: Callable
    move: Callable
    position: int = 100


_DUTIES: dict[str, Duty] = {}


def register_duty(name: str, *, label, holdings: Callable, move: Callable,
                  position: int = 100) -> None:
    """Declare a duty; declaring it again (a module imported twice) replaces it."""
    _DUTIES[name] = Duty(name=name, label=label, holdings=holdings, move=move, position=position)


def duties() -> list[Duty]:
    """The registered duties, in the order a preview shows them."""
    return sorted(_DUTIES.values(), key=lambda duty: (duty.position, duty.name))
