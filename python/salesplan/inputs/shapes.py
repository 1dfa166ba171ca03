"""The shapes of what the Config tab sets, shared by the readers here and the method.

They live in ``inputs/`` because the Config tab makes them; the method takes them as given
(``method/`` may import ``inputs/``; ``inputs/`` never imports ``method/``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrossSellRule:
    """If a client buys every category of ``when``, offer the categories of ``offer``."""

    when: frozenset[str]            # normalised categories
    offer: tuple[str, ...]          # normalised categories
    offer_names: tuple[str, ...] = ()  # as the supervisor spelled them
    when_names: tuple[str, ...] = ()   # as the supervisor spelled them
    row: int | None = None             # the Config tab's row, when read from it

    def names(self) -> dict[str, str]:
        return dict(zip(self.offer, self.offer_names))
