"""Dialogue policy that keeps the `language` slot in step with the customer's messages.

It never votes for an action (its probabilities are all zero). Its prediction carries the slot
events of a language change, which Rasa applies before the next action runs whichever policy
wins (`PolicyPrediction.events`), so every answer of the turn is rendered in the new language.

Why a policy: the decision needs the conversation's current language, which NLU components do
not see. A custom slot mapping (`action_detect_language`, before) called the action server on
every message, sending it the whole domain and tracker, only for this.
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.answers import answer_variables
from bot.language import language_after_message
from bot.settings import load_settings

LANGUAGE_SLOT = "language"


def language_slot_events(language: str) -> list[SlotSet]:
    """The language slot plus the settings values quoted in that language's answers."""
    values = answer_variables(load_settings(), language)
    return [SlotSet(LANGUAGE_SLOT, language), *(SlotSet(name, value) for name, value in values.items())]


def _is_first_prediction_of_turn(tracker: DialogueStateTracker) -> bool:
    """True right after a customer message: no action has run since it."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class LanguagePolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The lowest priority: with all-zero probabilities it could only win a tie of zeros.
        return {POLICY_PRIORITY: 0}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def train(self, training_trackers: list[Any], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the rules are in bot/language.py and settings.yml."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain), events=self._events(tracker))

    @staticmethod
    def _events(tracker: DialogueStateTracker) -> list[Event]:
        if tracker.latest_message is None or not _is_first_prediction_of_turn(tracker):
            return []
        current = tracker.get_slot(LANGUAGE_SLOT)
        language = language_after_message(current, tracker.latest_message.parse_data, load_settings())
        return [] if language == current else list(language_slot_events(language))
