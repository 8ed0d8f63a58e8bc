"""A unit's life: what it holds and who takes it when it ends (`duties`), and what a change
would move (`preview`). The writes are in `units.services.lifecycle`."""
