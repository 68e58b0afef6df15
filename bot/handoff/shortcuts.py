"""What a customer's message means before NLU, from the conversation around it.

- A typed rating: right after the bot asked for a 1-5 rating, "5", "4 stars", "3/5" or "★★★★"
  counts as pressing that button (customers on the app or in `rasa shell` type instead of tapping).
- Repetition: the same message several times in a row (case, accents and punctuation ignored) is
  a sign of frustration in any language; it becomes the frustration intent, so the customer gets
  an apology and a person.

Plain functions on texts; the channels' gate applies them (bot/channels/handoff_bridge.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict, deque

from bot.handoff.ratings import SCORES

# Metadata of a customer message turned into a payload here: what the customer really wrote, which
# the transcripts show instead of the payload.
TYPED_TEXT_KEY = "typed_text"
RATING_PAYLOAD = '/rate{{"rating": "{score}"}}'
FRUSTRATION_PAYLOAD = "/frustration"
# The word for a star in the six languages (stems), and "out of" before a 5.
_STAR_WORDS = r"(?:stars?|stern\w*|ster\w*|gwiazd\w*|y[iı]ld[iı]z\w*|hv[eě]zd\w*)"
_OUT_OF = r"(?:of|von|uit|z|na|ze|üzerinden|uzerinden)"
# "5", "5 ★", "5 stars", "5 Sterne", "5/5", "4 von 5", "★★★★": a score, not "2 Artikel" or "1 Frage".
_TYPED_SCORE = re.compile(
    rf"^\s*(?P<score>[1-5])(?:\s*[★*⭐]+|\s*/\s*5|\s+{_STAR_WORDS}|\s+{_OUT_OF}\s+5)?\s*[.!]*\s*$",
    re.IGNORECASE)
# Short answers ("ja", "nein", "ok") are often the same to different questions: not a repetition.
MIN_REPEATED_CHARS = 12
_STARS = re.compile(r"^\s*(?P<stars>[★⭐]{1,5})\s*$")
_FOLDABLE = re.compile(r"[\W_]+")


def typed_rating(text: str) -> int | None:
    """The score a typed rating gives, or None when the text is not one."""
    stars = _STARS.match(text)
    if stars:
        return len(stars.group("stars"))
    match = _TYPED_SCORE.match(text)
    if match is None:
        return None
    score = int(match.group("score"))
    return score if score in SCORES else None


def asks_for_rating(buttons: list[dict] | None) -> bool:
    """True when a bot message's buttons are the 1-5 rating."""
    return any(str(button.get("payload", "")).startswith("/rate{") for button in buttons or [])


def rating_payload(score: int) -> str:
    return RATING_PAYLOAD.format(score=score)


def comparable(text: str) -> str:
    """A message as compared for repetition: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _FOLDABLE.sub(" ", letters).strip()


class RepetitionMemory:
    """The last few messages of recent conversations, to notice a customer repeating themselves.

    In the server's memory: it only decides when to offer a person sooner, so a restart that
    forgets it costs nothing but one more repetition."""

    def __init__(self, repeats: int, conversations: int = 10_000) -> None:
        self.repeats = repeats
        self.conversations = conversations
        self._recent: OrderedDict[str, deque[str]] = OrderedDict()

    def repeated(self, conversation_id: str, text: str) -> bool:
        """Remembers the message; True when it makes `repeats` identical messages in a row."""
        key = comparable(text)
        recent = self._recent.pop(conversation_id, None) or deque(maxlen=max(self.repeats, 1))
        self._recent[conversation_id] = recent
        if len(self._recent) > self.conversations:
            self._recent.popitem(last=False)
        if len(key) < MIN_REPEATED_CHARS or text.strip().startswith("/"):
            recent.clear()  # buttons, empty and short answers are not repetitions
            return False
        recent.append(key)
        if self.repeats >= 2 and len(recent) == self.repeats and len(set(recent)) == 1:
            recent.clear()  # the handoff answers it; counting starts again
            return True
        return False
