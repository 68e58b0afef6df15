"""Custom actions. They stay thin: the rules live in bot/ and settings.yml."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import answer_variables
from bot.language import (
    Detection,
    choose_language,
    normalize_language_code,
    requested_language,
)
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
HANDOFF_REASON_SLOT = "handoff_reason"
SESSION_METADATA_SLOT = "session_started_metadata"
# A request like "english please" counts on its own only when the message is this short;
# longer messages must also be classified as change_language.
_SHORT_LANGUAGE_REQUEST_WORDS = 3


def _hint(metadata: Any, settings: Settings) -> str | None:
    if not isinstance(metadata, dict):
        return None
    return normalize_language_code(metadata.get("language"), settings.languages.supported)


def _picked_language(entities: Any, settings: Settings) -> str | None:
    """The language code a language_name entity of a button payload names, if supported."""
    for entity in entities or []:
        if isinstance(entity, dict) and entity.get("entity") == "language_name":
            return normalize_language_code(entity.get("value"), settings.languages.supported)
    return None


def _language(tracker: Tracker, settings: Settings) -> str:
    language = normalize_language_code(tracker.get_slot(LANGUAGE_SLOT), settings.languages.supported)
    return language or settings.languages.default


def _language_events(language: str, settings: Settings) -> list[EventType]:
    """The language slot plus the settings values quoted in that language's answers."""
    values = answer_variables(settings, language)
    return [SlotSet(LANGUAGE_SLOT, language), *(SlotSet(k, v) for k, v in values.items())]


class ActionSessionStart(Action):
    """Starts a session in the carried-over language, else the channel's hint; without either the
    language stays unset until the first message is detected."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name != SESSION_METADATA_SLOT
        ]
        current = normalize_language_code(tracker.get_slot(LANGUAGE_SLOT), settings.languages.supported)
        hint = _hint(tracker.get_slot(SESSION_METADATA_SLOT), settings)
        # Without a carried-over language or a hint the first message decides (action_detect_language):
        # a guess from the customer's own words beats the shop's default language.
        language_events = (
            _language_events(current or hint, settings) if (current or hint) else []  # type: ignore[arg-type]
        )
        return [
            SessionStarted(),
            *carried,
            *language_events,
            ActionExecuted("action_listen"),
        ]


class ActionDetectLanguage(Action):
    """Runs on every customer message (custom slot mapping) and keeps `language` up to date."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = load_settings()
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        is_button = text.startswith("/")
        detection = None if is_button else Detection.from_dict(message.get("language_detection"))
        requested = None
        intent = (message.get("intent") or {}).get("name")
        if is_button:
            # The widget's language picker: /change_language{"language_name": "pl"}
            if intent == "change_language":
                requested = _picked_language(message.get("entities"), settings)
        elif intent == "change_language" or len(text.split()) <= _SHORT_LANGUAGE_REQUEST_WORDS:
            requested = requested_language(text)
        current = normalize_language_code(
            tracker.get_slot(LANGUAGE_SLOT), settings.languages.supported
        )
        language = choose_language(
            current=current,
            hint=_hint(message.get("metadata"), settings),
            detection=detection,
            requested=requested,
            settings=settings,
        )
        if language == current:
            return []
        return _language_events(language, settings)
