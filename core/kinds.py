"""Kinds that a shared model lists but that each app declares for itself.

A notification or a file job is shared machinery, but what kinds exist is the business of the
apps that send or run them: `tasks` declares "overdue", `reports` declares "report returned".
A `Kinds` registry reads like a Django `TextChoices` (`Notification.Kind.OVERDUE`,
`.values`, `.choices`) and serves as a field's callable `choices`, so the admin, forms and
`get_kind_display` work as with fixed choices (give the field a module-level function returning
`.choices`: migrations refer to it by name). The kinds are added by each app's `kinds` module,
imported by its AppConfig.ready().
"""

class Kinds:
    """An ordered registry of kinds: value, label, the constant name callers use, and any
    attributes the owning model needs (e.g. the job that runs a file job)."""

    def __init__(self, what: str):
        self._what = what
        self._labels: dict[str, object] = {}
        self._by_name: dict[str, str] = {}
        self._attributes: dict[str, dict] = {}

    def register(self, name: str, value: str, label, **attributes) -> str:
        """Declare a kind; declaring the same one again (a module imported twice) changes
        nothing. Returns the value."""
        known = self._by_name.get(name)
        if known is not None and known != value:
            raise ValueError(f"{self._what} kind {name} is already {known!r}, not {value!r}")
        self._by_name[name] = value
        self._labels[value] = label
        self._attributes.setdefault(value, {}).update(attributes)
        return value

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._by_name[name]
        except KeyError:
            raise AttributeError(f"no {self._what} kind {name} has been declared") from None

    @property
    def values(self) -> list[str]:
        return list(self._labels)

    @property
    def choices(self) -> list[tuple[str, object]]:
        return list(self._labels.items())

    def label(self, value: str):
        return self._labels.get(value, value)

    def attribute(self, value: str, name: str, default=None):
        return self._attributes.get(value, {}).get(name, default)
