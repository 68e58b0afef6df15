"""Held-out intent accuracy per language must stay above floors set from measurement.

The floors sit a few points below what `make benchmark` measured (see the issue note); a drop
below them means the data or the pipeline got worse in that language.
"""

import pytest

from bot.evaluation import figures, predict
from bot.nlu_files import read_examples
from tests.helpers import LANGUAGES, held_out_file, styled_held_out_file

# Measured on 2026-12-06 (bot.evaluation on the trained model, two trainings on nearly the same
# data): tests/nlu intent accuracy 0.771 (pl) to 0.843 (nl), out-of-scope recall 0.727 (en) to
# 0.957 (tr), per-message language detection 0.925 (pl) to 0.967 (en).
ACCURACY_FLOOR = 0.75
OUT_OF_SCOPE_RECALL_FLOOR = 0.68
DETECTION_FLOOR = 0.90


# The second held-out set (tests/nlu_styled: another writer, terse, misspelt, run-on,
# code-switched, copied from e-mails), same day: intent accuracy 0.818 (en) to 0.893 (de), 0.845
# to 0.849 in all; out-of-scope recall 0.805 to 0.816 in all (about 15 messages per language; it was
# 0.862 before this data: formal e-mails about hotel bookings now look like call-back requests).
STYLED_ACCURACY_FLOOR = 0.79
STYLED_OUT_OF_SCOPE_RECALL_FLOOR = 0.77


@pytest.fixture(scope="module")
def styled_figures(trained_model):
    examples = [e for language in LANGUAGES for e in read_examples(styled_held_out_file(language), language)]
    return figures(predict(trained_model, examples))


@pytest.mark.parametrize("language", LANGUAGES)
def test_intent_accuracy_on_the_styled_set(styled_figures, language):
    result = styled_figures[language]
    assert result.intent_accuracy >= STYLED_ACCURACY_FLOOR, result.confusions


def test_out_of_scope_is_recognised_in_the_styled_set(styled_figures):
    assert styled_figures["all"].out_of_scope_recall >= STYLED_OUT_OF_SCOPE_RECALL_FLOOR


@pytest.fixture(scope="module")
def held_out_figures(trained_model):
    examples = [e for language in LANGUAGES for e in read_examples(held_out_file(language), language)]
    return figures(predict(trained_model, examples))


@pytest.mark.parametrize("language", LANGUAGES)
def test_intent_accuracy_per_language(held_out_figures, language):
    result = held_out_figures[language]
    assert result.intent_accuracy >= ACCURACY_FLOOR, result.confusions


@pytest.mark.parametrize("language", LANGUAGES)
def test_out_of_scope_is_recognised(held_out_figures, language):
    assert held_out_figures[language].out_of_scope_recall >= OUT_OF_SCOPE_RECALL_FLOOR


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_detection_on_held_out_messages(held_out_figures, language):
    assert held_out_figures[language].language_detection_accuracy >= DETECTION_FLOOR
