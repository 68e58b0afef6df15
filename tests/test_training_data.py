"""Training and held-out data: every intent in every language, enough and separate examples."""

import re
import subprocess
import sys

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.language import fold_text
from bot.nlu_files import annotated_entities, plain_text
from tests.helpers import (
    CORE_INTENTS,
    LANGUAGES,
    domain,
    held_out_file,
    nlu_examples,
    responses_rendered_by_actions,
    styled_held_out_file,
    training_file,
)

ENTITIES = ("order_number", "email", "postcode", "phone_number")


def base_intents(examples):
    return {intent.split("/")[0] for intent in examples}


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_data_has_every_intent_with_enough_examples(language):
    examples = nlu_examples(training_file(language))
    assert base_intents(examples) == (set(domain()["intents"]) - set(BUTTON_INTENTS)) | {"kindle", "faq"}
    for intent in CORE_INTENTS:
        assert len(examples[intent]) >= 40, (language, intent, len(examples[intent]))
    topics = {intent for intent in examples if "/" in intent}
    reference = {intent for intent in nlu_examples(training_file("en")) if "/" in intent}
    assert topics == reference


@pytest.mark.parametrize("language", LANGUAGES)
def test_inform_examples_carry_every_entity(language):
    inform = nlu_examples(training_file(language))["inform"]
    found = {entity for example in inform for entity in annotated_entities(example)}
    assert set(ENTITIES) <= found


def _copied_from_training(held_out: dict[str, list[str]], language: str) -> list[str]:
    training = nlu_examples(training_file(language)).values()
    trained = {fold_text(plain_text(e)) for examples in training for e in examples}
    return [e for examples in held_out.values() for e in examples if fold_text(plain_text(e)) in trained]


@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_set_is_large_enough_and_not_copied_from_training(language):
    held_out = nlu_examples(held_out_file(language))
    for intent in (*CORE_INTENTS, "inform"):
        assert len(held_out[intent]) >= 15, (language, intent)
    assert not _copied_from_training(held_out, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_styled_held_out_set_covers_the_core_intents_and_is_not_copied(language):
    styled = nlu_examples(styled_held_out_file(language))
    for intent in (*CORE_INTENTS, "inform"):
        assert len(styled[intent]) >= 8, (language, intent)
    assert set(styled) <= set(domain()["intents"])
    assert not _copied_from_training(styled, language)


# Responses that custom actions send (bot/fallback.py, actions/actions.py) or that Rasa's default
# fallback sends: the validator cannot see them in stories or rules.
SENT_BY_ACTIONS = {
    "utter_ask_rephrase", "utter_default", "utter_out_of_scope", "utter_out_of_scope_offer_agent",
    "utter_unclear_offer_agent",
    "utter_handoff_failed", "utter_topic_order_status",
    "utter_topic_return_item",
    "utter_topic_return_policy", "utter_topic_refund_status", "utter_topic_human_handoff",
}
# Help articles are answered by actions/help.py (domain/help.yml, domain/help_chat.yml).
SENT_BY_HELP_ACTIONS = {"utter_kindle", "utter_faq"} | set(
    yaml.safe_load((PROJECT_ROOT / "domain" / "help_chat.yml").read_text(encoding="utf-8"))["responses"])
UNUSED_UTTERANCE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
# Rasa merges the retrieval intents of the NLU data into the domain, which lists them too.
RETRIEVAL_MERGE = "duplicated intents have been found across multiple domain files: faq, kindle"
# Intents only buttons send (/request_callback, /rate{"rating": "4"}, ...): no training examples.
BUTTON_INTENTS = ("request_callback", "cancel_handoff", "rate", "add_rating_comment")
BUTTON_INTENT_WARNING = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU")
# Rasa imports pkg_resources; torch needs setuptools >= 77, which warns about that import.
PKG_RESOURCES = "pkg_resources is deprecated as an API"


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    warnings = [line for line in output.splitlines() if "UserWarning:" in line]
    unexpected = [
        w for w in warnings
        if RETRIEVAL_MERGE not in w and PKG_RESOURCES not in w
        and not (BUTTON_INTENT_WARNING.search(w) and BUTTON_INTENT_WARNING.search(w)[1] in BUTTON_INTENTS)
        and not (UNUSED_UTTERANCE.search(w) and UNUSED_UTTERANCE.search(w)[1]
                 in SENT_BY_ACTIONS | SENT_BY_HELP_ACTIONS | responses_rendered_by_actions())
    ]
    assert not unexpected, "\n".join(unexpected)
