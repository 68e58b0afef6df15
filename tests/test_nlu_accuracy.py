"""Held-out intent accuracy per language must stay above floors set from measurement.

The floors sit a few points below what `make benchmark` measured (see the issue note); a drop
below them means the data or the pipeline got worse in that language.
"""

import pytest

from bot.evaluation import figures, predict
from bot.nlu_files import Example, read_examples
from tests.helpers import LANGUAGES, held_out_file, styled_held_out_file

# Measured on 2026-12-07, ninth session (bot.evaluation on the trained model: DIET weighted 0.25
# and the logistic regression on its own TF-IDF features 0.75, fallback below 0.3, no ambiguity
# rule): tests/nlu intent accuracy 0.863 (tr) to 0.931 (en), 0.906 in all; out-of-scope recall
# 0.864 (en: 19 of 22) to 0.957 (pl), 0.916 in all, one message is about 4.5 points; per-message
# language detection 0.925 (pl) to 0.967 (en); in-scope messages sent to the fallback 0.013 in all.
# Per-language figures move by a few points with any retraining on changed data (tr out of scope:
# 0.739 to 0.783 and back from one round of data to the next), hence the margins.
# Tenth session (training data rounds 10-11, same pipeline): 0.904 in all, 0.867 (tr) to 0.931 (nl);
# out-of-scope recall 0.908 in all, 0.818 (cs) and 0.826 (tr, 19 of 23) lowest; with DIET's seed 7
# instead of 42 on the same data Turkish out of scope was 0.783 (18 of 23): a seed alone moves it by a
# message, so its floor sits one more message below.
# Eleventh session (hedged yes/no data, the regression on text without diacritics): 0.910 in all,
# 0.892 (tr) to 0.923 (en), Polish 0.877 -> 0.912; with DIET's counts also folded (candidate
# diet_folded) the same within a point per language (0.912 in all, tr 0.892), so the floor moves up
# to three points under the lowest language.
# Twelfth session (data rounds 12-13: customer service by name, small talk, return near-pairs,
# Turkish out of scope): 0.926 in all, 0.904 (tr) to 0.940 (nl); out-of-scope recall 0.916 in all,
# Turkish still 0.826 (19 of 23). Floor about two and a half points under the lowest language.
# Seventeenth session (messages of one or two words weigh DIET 0.4): 0.931 in all, 0.920 (tr) to
# 0.940 (nl); out-of-scope recall 0.931 in all, 0.864 (cs, 19 of 22) and 0.870 (tr, 20 of 23) lowest.
# Floors three points under the lowest language, and out of scope one message more under it than a
# seed moves it.
ACCURACY_FLOOR = 0.89
OUT_OF_SCOPE_RECALL_FLOOR = 0.80
DETECTION_FLOOR = 0.90
# The issue's budget; this fails when a change of threshold or data makes the bot ask "please
# rephrase" much more often.
IN_SCOPE_FALLBACK_CEILING = 0.03


# The second held-out set (tests/nlu_styled: another writer, terse, misspelt, run-on,
# code-switched, copied from e-mails), same model: intent accuracy 0.931 (nl, 94 of 101) to 0.958
# (cs), 0.942 in all; out-of-scope recall 0.931 in all; in-scope to the fallback 0.002 in all. Its
# writer put "is there a hotline?" in human_handoff, the intent contract (and tests/nlu) in
# faq/contact_callback: 9 of its messages count as wrong for that alone.
# Eleventh session: 0.938 (pl) to 0.989 (cs), 0.949 in all; out-of-scope recall 0.954 in all.
# Seventeenth session: 0.947 (tr) to 0.989 (cs), 0.956 in all; out-of-scope recall 0.943 in all.
STYLED_ACCURACY_FLOOR = 0.92
STYLED_OUT_OF_SCOPE_RECALL_FLOOR = 0.88


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


def test_few_in_scope_messages_end_in_the_fallback(held_out_figures, styled_figures):
    assert held_out_figures["all"].in_scope_fallback_rate <= IN_SCOPE_FALLBACK_CEILING
    assert styled_figures["all"].in_scope_fallback_rate <= IN_SCOPE_FALLBACK_CEILING


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


def test_measuring_does_not_print_the_messages_it_parses(trained_model, capfd):
    """Rasa's structured log prints every parsed text at debug level unless configured: the
    accuracy figures and the benchmark must not show the held-out sets to whoever runs them."""
    message = "wo bleibt eigentlich mein paket mit den winterstiefeln"
    [prediction] = predict(trained_model, [Example(message, "order_status", "de")])
    assert prediction.intent == "order_status"
    assert message not in capfd.readouterr().out
