"""Sends the replies services decide on (bot/replies.py) in the conversation's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.fallback import HANDOFF_TOPIC
from bot.replies import Phrase, Reply
from bot.responses import response_text


def render(domain: dict[str, Any], phrase: Phrase | Reply, language: str) -> str:
    """The response's text in `language` with its values filled in (nested phrases first)."""
    template = response_text(domain, phrase.response, language)
    if template is None:
        raise KeyError(f"response {phrase.response} has no text in {language}")
    values = {
        key: render(domain, value, language) if isinstance(value, Phrase) else value
        for key, value in phrase.values.items()
    }
    prefix = phrase.prefix if isinstance(phrase, Phrase) else ""
    return prefix + template.format(**values)


def send(dispatcher: CollectingDispatcher, domain: dict[str, Any], language: str, *replies: Reply) -> None:
    for reply in replies:
        buttons = [{"title": render(domain, b.title, language), "payload": b.payload} for b in reply.buttons]
        dispatcher.utter_message(text=render(domain, reply, language), buttons=buttons or None, image=reply.image)


def topic_buttons(domain: dict[str, Any], topics: tuple[str, ...] | list[str], language: str) -> list[dict[str, str]]:
    """Buttons that start a topic (payload /<intent>), titled by its utter_topic_<intent> response."""
    return [{"title": response_text(domain, f"utter_topic_{topic}", language) or topic, "payload": f"/{topic}"}
            for topic in topics]


def handoff_button(domain: dict[str, Any], language: str) -> dict[str, str]:
    return topic_buttons(domain, [HANDOFF_TOPIC], language)[0]
