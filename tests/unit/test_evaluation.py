import pytest
import yaml

from bot.benchmark import candidate_config
from bot.evaluation import Prediction, figures, macro_f1, threshold_sweep
from bot.nlu_files import Example


def prediction(intent, predicted, confidence=0.9, language="de", detected="de"):
    top = predicted if predicted != "nlu_fallback" else intent
    return Prediction(Example("x", intent, language), predicted, top, confidence, detected)


def test_macro_f1_averages_over_true_labels():
    assert macro_f1([("a", "a"), ("b", "b")]) == 1.0
    assert macro_f1([("a", "b"), ("b", "a")]) == 0.0
    assert macro_f1([("a", "a"), ("a", "b"), ("b", "b")]) == pytest.approx(2 / 3)


def test_figures_count_fallbacks_as_wrong_but_as_caught_out_of_scope():
    result = figures([
        prediction("order_status", "order_status"),
        prediction("order_status", "nlu_fallback", 0.2),
        prediction("out_of_scope", "nlu_fallback", 0.2, detected="nl"),
        prediction("out_of_scope", "faq"),
    ])["de"]
    assert result.intent_accuracy == 0.25
    assert result.out_of_scope_recall == 0.5
    assert result.in_scope_fallback_rate == 0.5
    assert result.language_detection_accuracy == 0.75


def test_threshold_sweep_moves_messages_into_the_fallback():
    predictions = [prediction("order_status", "order_status", 0.55), prediction("out_of_scope", "faq", 0.45)]
    low, high = threshold_sweep(predictions, [0.4, 0.6])
    assert (low["in_scope_fallback_rate"], low["out_of_scope_recall"]) == (0.0, 0.0)
    assert (high["in_scope_fallback_rate"], high["out_of_scope_recall"]) == (1.0, 1.0)


def test_benchmark_candidates_differ_only_where_they_should(tmp_path):
    bot = yaml.safe_load(candidate_config("bot", tmp_path).read_text())
    lemma = yaml.safe_load(candidate_config("lemma", tmp_path).read_text())
    baseline = yaml.safe_load(candidate_config("rasa_default", tmp_path).read_text())
    differing = [(a["name"], b["name"]) for a, b in zip(bot["pipeline"], lemma["pipeline"], strict=True) if a != b]
    assert differing == [
        ("bot.nlu.masking_tokenizer.MaskingWhitespaceTokenizer", "bot.nlu.lemma_tokenizer.LemmaTokenizer")]
    assert bot["policies"] == lemma["policies"]
    assert baseline["pipeline"] is None and baseline["policies"] is None


def test_calibration_reports_accuracy_per_confidence_band():
    from bot.evaluation import calibration

    predictions = [prediction("faq", "faq", 0.99), prediction("faq", "order_status", 0.98),
                   prediction("greet", "greet", 0.4), prediction("out_of_scope", "faq", 0.1)]
    rows = {row["band"]: row for row in calibration(predictions)}
    assert rows["0.97-1.00"]["examples"] == 2 and rows["0.97-1.00"]["accuracy"] == 0.5
    assert rows["0.30-0.50"]["accuracy"] == 1.0 and rows["0.00-0.30"]["accuracy"] == 0.0
    assert rows["0.50-0.70"]["examples"] == 0
    assert sum(row["share"] for row in rows.values()) == pytest.approx(1.0)


def test_decisions_at_another_threshold_and_the_highest_threshold_within_a_fallback_budget():
    from bot.evaluation import at_threshold, highest_threshold_within

    predictions = [prediction("order_status", "order_status", 0.55), prediction("return_item", "faq", 0.35),
                   prediction("out_of_scope", "faq", 0.45)]
    assert [p.intent for p in at_threshold(predictions, 0.5)] == ["order_status", "nlu_fallback", "nlu_fallback"]
    assert [p.intent for p in at_threshold(predictions, 0.3)] == ["order_status", "faq", "faq"]
    assert highest_threshold_within(predictions, 0.0, [0.3, 0.4, 0.5]) == 0.3
    assert highest_threshold_within(predictions, 0.5, [0.3, 0.4, 0.5]) == 0.5


def test_the_ambiguity_rule_sends_close_calls_to_the_fallback_like_rasa_does(tmp_path):
    from dataclasses import replace

    from bot.evaluation import at_threshold, configured_fallback, threshold_sweep

    close = replace(prediction("order_status", "order_status", 0.6), margin=0.03)
    clear = replace(prediction("return_item", "return_item", 0.6), margin=0.4)
    assert [p.intent for p in at_threshold([close, clear], 0.5, ambiguity=0.05)] == ["nlu_fallback", "return_item"]
    assert [p.intent for p in at_threshold([close, clear], 0.5)] == ["order_status", "return_item"]
    assert threshold_sweep([close, clear], [0.5], ambiguity=0.05)[0]["in_scope_fallback_rate"] == 0.5
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n- name: DIETClassifier\n- name: FallbackClassifier\n  threshold: 0.35\n"
                      "  ambiguity_threshold: 0.02\n", encoding="utf-8")
    assert configured_fallback(config) == (0.35, 0.02)


def test_other_ensemble_weights_are_replayed_on_the_recorded_rankings(tmp_path):
    import numpy as np

    import bot.nlu.intent_ensemble as ensemble
    from bot.evaluation import configured_ensemble, ensemble_weight_sweep, recording_ensemble_parts, reweighted

    original = ensemble.ensemble_ranking
    config = {"diet_weight": 0.5, "short_message_words": 2, "short_message_diet_weight": 0.5}
    diet = [{"name": "order_status", "confidence": 0.9}, {"name": "out_of_scope", "confidence": 0.1}]
    with recording_ensemble_parts() as parts:
        # IntentEnsemble.process calls the module's function like this, once per message.
        long = ensemble.ensemble_ranking(diet, ["order_status", "out_of_scope"], np.array([0.2, 0.8]), 6, config)
        short = ensemble.ensemble_ranking(diet, ["order_status", "out_of_scope"], np.array([0.2, 0.8]), 2, config)
    assert ensemble.ensemble_ranking is original
    assert long[0]["name"] == short[0]["name"] == "order_status" and [p.words for p in parts] == [6, 2]
    made = [prediction("out_of_scope", "order_status", confidence=long[0]["confidence"]),
            prediction("out_of_scope", "order_status", confidence=short[0]["confidence"])]
    # DIET alone keeps its answer; the regression alone finds the out-of-scope message.
    diet_only = reweighted(made, parts, {**config, "diet_weight": 1.0, "short_message_diet_weight": 1.0})
    assert [p.top_intent for p in diet_only] == ["order_status", "order_status"]
    assert (round(diet_only[0].confidence, 3), round(diet_only[0].margin, 3)) == (0.9, 0.8)
    regression_only = reweighted(made, parts, {**config, "diet_weight": 0.0, "short_message_diet_weight": 0.0})
    assert [p.intent for p in regression_only] == ["out_of_scope", "out_of_scope"]
    # The short message keeps its own weight: only the longer one follows diet_weight.
    mixed = reweighted(made, parts, {**config, "diet_weight": 0.0, "short_message_diet_weight": 1.0})
    assert [p.intent for p in mixed] == ["out_of_scope", "order_status"]
    rows = ensemble_weight_sweep(made, parts, {**config, "short_message_diet_weight": 0.0}, [0.0, 1.0], [0.3],
                                 [0.0])
    assert [row["out_of_scope_recall"] for row in rows] == [1.0, 0.5]
    with pytest.raises(ValueError):
        reweighted(made[:1], parts, config)
    path = tmp_path / "config.yml"
    path.write_text("pipeline:\n- name: bot.nlu.intent_ensemble.IntentEnsemble\n  diet_weight: 0.35\n",
                    encoding="utf-8")
    configured = configured_ensemble(path)
    assert (configured["diet_weight"], configured["short_message_words"]) == (0.35, 0)
    path.write_text("pipeline:\n- name: DIETClassifier\n", encoding="utf-8")
    assert configured_ensemble(path) is None
