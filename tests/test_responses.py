"""Six languages, one standard: every answer exists in every language."""

import re

import pytest

from bot.fallback import HANDOFF_TOPIC, OFFERED_TOPICS
from bot.responses import language_of_variation, response_text
from tests.helpers import LANGUAGES, domain, nlu_examples, responses_rendered_by_actions, training_file

PLACEHOLDER = re.compile(r"\{(\w+)\}")
RESPONSES = domain()["responses"]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_exactly_one_text_per_language(name):
    languages = [language_of_variation(variation) for variation in RESPONSES[name]]
    assert sorted(languages) == sorted(LANGUAGES), f"{name}: {languages}"
    for variation in RESPONSES[name]:
        assert (variation.get("text") or "").strip(), f"{name} is empty in {language_of_variation(variation)}"


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_placeholders_are_slots_and_the_same_in_every_language(name):
    slots = set(domain()["slots"])
    per_language = {
        language_of_variation(variation): set(PLACEHOLDER.findall(variation["text"]))
        for variation in RESPONSES[name]
    }
    reference = per_language["en"]
    if name not in responses_rendered_by_actions():
        assert reference <= slots, f"{name} uses placeholders that are no slots: {reference - slots}"
    for language, placeholders in per_language.items():
        assert placeholders == reference, f"{name} in {language}: {placeholders} != {reference}"


def test_every_retrieval_topic_has_an_answer():
    topics = {
        intent for language in LANGUAGES for intent in nlu_examples(training_file(language)) if "/" in intent
    }
    assert {topic.split("/")[0] for topic in topics} == {"kindle", "faq"}
    missing = sorted(topic for topic in topics if f"utter_{topic}" not in RESPONSES)
    assert not missing


def test_every_rephrase_button_has_a_label_in_every_language():
    for topic in (*OFFERED_TOPICS, HANDOFF_TOPIC):
        for language in LANGUAGES:
            assert response_text(domain(), f"utter_topic_{topic}", language), (topic, language)


def test_responses_used_by_actions_and_rules_exist():
    used = {"utter_ask_rephrase", "utter_handoff_queued", "utter_handoff_no_agent_online",
            "utter_handoff_after_hours", "utter_agent_joined", "utter_agent_left", "utter_handoff_failed",
            "utter_default", "utter_kindle", "utter_faq"}
    retrieval = {"utter_kindle", "utter_faq"}
    assert (used - retrieval) <= set(RESPONSES)
    assert all(any(name.startswith(prefix + "/") for name in RESPONSES) for prefix in retrieval)
