"""Custom actions. They stay thin: the rules live in bot/ and settings.yml."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import answer_variables
from bot.language import hinted_language, normalize_language_code
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
HANDOFF_REASON_SLOT = "handoff_reason"
SESSION_METADATA_SLOT = "session_started_metadata"


def withdrawn_offer(tracker: Tracker) -> list[EventType]:
    """An offered person the customer did not take up (they asked something else): the offer is
    withdrawn, so that a later "yes" (to "Did this help?", say) does not start a handoff."""
    if not tracker.get_slot("handoff_offered"):
        return []
    return [SlotSet("handoff_offered", False), SlotSet(HANDOFF_REASON_SLOT, None)]


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
        hint = hinted_language(tracker.get_slot(SESSION_METADATA_SLOT), settings.languages.supported)
        # Without a carried-over language or a hint the first message decides (bot/nlu/language_policy.py):
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
