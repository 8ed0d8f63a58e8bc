"""More public figures beside the status classes: a registry for the apps that own them.

An app adds a section by registering `provider(*, resolution_id, issued) -> list[dict]` under a
name (the indicators against their targets: `public_sections.register("indicators", ...)` in
that app's AppConfig.ready()). `issued` is the IssuedMonthlyReport shown, and a provider must
return only what was frozen when it was issued, with no person's name and no internal text:
each row a flat dict of numbers, codes, dates and the names of things in both languages
(`name`, `name_en`). Every section lands, under its name, in the page, the JSON and the CSV.
"""

from collections.abc import Callable


class _Sections:
    def __init__(self):
        self._providers: dict[str, Callable] = {}

    def register(self, name: str, provider: Callable) -> None:
        self._providers[name] = provider

    def collect(self, *, resolution_id: int, issued) -> dict[str, list[dict]]:
        return {name: list(provider(resolution_id=resolution_id, issued=issued))
                for name, provider in self._providers.items()}


public_sections = _Sections()
