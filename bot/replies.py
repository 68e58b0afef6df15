"""What a service wants to say, as plain values: a response name from the domain and its values.

Services in bot/ decide what to answer; actions render it in the conversation's language with the
six-language responses of the domain (actions/rendering.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Phrase:
    """A response used inside another one, e.g. a tracking event inside a parcel's status."""

    response: str
    values: dict[str, str | Phrase] = field(default_factory=dict)
    prefix: str = ""  # e.g. the event's date and time before the text


@dataclass(frozen=True)
class Button:
    title: Phrase
    payload: str


@dataclass(frozen=True)
class Reply:
    response: str
    values: dict[str, str | Phrase] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    image: str | None = None
