"""The LanguagePolicy on Rasa's own tracker (the real path: tests/test_end_to_end.py and the
language tests that talk to the running server)."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.language_policy import LanguagePolicy
from tests.helpers import domain

CLEAR_EN = {"language": "en", "probability": 0.99, "words": 6, "letters": 30, "agrees": True}
SHORT_NL = {"language": "nl", "probability": 1.0, "words": 1, "letters": 2, "agrees": True}


@pytest.fixture(scope="module")
def rasa_domain():
    return Domain.from_dict(domain())


@pytest.fixture()
def policy(tmp_path):
    return LanguagePolicy.create(
        {}, LocalModelStorage(tmp_path), Resource("language_policy"), ExecutionContext(GraphSchema({}))
    )


def customer_says(text, detection, language=None, intent="greet", entities=None, metadata=None, then=()):
    events = [ActionExecuted("action_listen")]
    if language:
        events.append(SlotSet("language", language))
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if detection:
        parse["language_detection"] = detection
    events.append(UserUttered(text, parse_data=parse, metadata=metadata or {}))
    events.extend(then)
    return events


def predict(policy, rasa_domain, events):
    tracker = DialogueStateTracker.from_events("c-1", events, slots=rasa_domain.slots)
    return policy.predict_action_probabilities(tracker, rasa_domain)


def slot_values(prediction):
    return {event.key: event.value for event in prediction.events if isinstance(event, SlotSet)}


def test_it_never_chooses_an_action(policy, rasa_domain):
    prediction = predict(policy, rasa_domain, customer_says("Where is my parcel please", CLEAR_EN, "de"))
    assert max(prediction.probabilities) == 0.0


def test_a_clear_message_switches_with_the_settings_values_in_that_language(policy, rasa_domain):
    values = slot_values(predict(policy, rasa_domain, customer_says("Where is my parcel please", CLEAR_EN, "de")))
    assert values["language"] == "en"
    assert values["standard_shipping_fee"] == "3.99"
    assert values["return_window_days"] == "30"


def test_short_message_keeps_the_language_but_a_request_changes_it(policy, rasa_domain):
    assert predict(policy, rasa_domain, customer_says("ok", SHORT_NL, "de")).events == []
    values = slot_values(predict(policy, rasa_domain, customer_says("english please", SHORT_NL, "de")))
    assert values["language"] == "en"


def test_first_message_takes_the_guess_however_short(policy, rasa_domain):
    assert slot_values(predict(policy, rasa_domain, customer_says("hoi", SHORT_NL)))["language"] == "nl"


def test_first_message_follows_the_channel_hint_over_a_weak_guess(policy, rasa_domain):
    values = slot_values(predict(policy, rasa_domain, customer_says("ok", SHORT_NL, metadata={"language": "pl-PL"})))
    assert values["language"] == "pl"


def test_button_payloads_are_no_evidence_but_the_language_picker_is(policy, rasa_domain):
    assert predict(policy, rasa_domain, customer_says("/order_status", CLEAR_EN, "pl")).events == []
    picker = customer_says('/change_language{"language_name": "tr"}', None, "pl", intent="change_language",
                           entities=[{"entity": "language_name", "value": "tr"}])
    assert slot_values(predict(policy, rasa_domain, picker))["language"] == "tr"


def test_only_the_first_prediction_after_a_message_decides(policy, rasa_domain):
    """An action later in the turn may set the language itself; the policy does not undo it."""
    events = customer_says("Where is my parcel please", CLEAR_EN, "de",
                           then=[ActionExecuted("action_order_status"), SlotSet("language", "cs")])
    assert predict(policy, rasa_domain, events).events == []
