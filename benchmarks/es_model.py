"""The ``eventsourcing`` side of the comparison: one aggregate with one ``@event`` method.

Imported only when the ``eventsourcing`` benchmark runs (``pip install '.[bench]'``).
The class lives at module level because ``eventsourcing`` resolves aggregate
classes by their import path ("topic").
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

__all__ = ["Dog", "make_dog"]


class Dog(Aggregate):
    """The aggregate of the library's own examples: a name and a list of tricks."""

    @event("Registered")
    def __init__(self, name: str) -> None:
        self.name = name
        self.tricks: list[str] = []

    @event("TrickAdded")
    def add_trick(self, trick: str) -> None:
        """One event: append a trick."""
        self.tricks.append(trick)


def make_dog(n: int) -> Dog:
    """A dog with ``n`` pending events (registered, then ``n - 1`` tricks)."""
    d = Dog("Fido")
    for i in range(n - 1):
        d.add_trick(f"t{i}")
    return d
