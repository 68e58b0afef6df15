"""Held-out evaluation of a trained model: intent accuracy, macro-F1, fallback and detection.

Used by the accuracy test (floors) and by the benchmark (figures). Messages are parsed by the
model's real NLU pipeline through Rasa's Agent, in-process.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.nlu_files import Example

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Prediction:
    example: Example
    intent: str  # what the pipeline decided, nlu_fallback included
    top_intent: str  # the best intent ignoring the fallback
    confidence: float
    detected_language: str | None
    margin: float = 1.0  # best minus second-best confidence (the FallbackClassifier's ambiguity rule)


def quiet_agent(model: Path) -> Any:
    """Rasa's Agent for `model`, with Rasa's structured log at WARNING: unconfigured, it prints a
    debug line with the text of every parsed message, and whoever measures should not read the
    held-out sets."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    return Agent.load(str(model))


def predict(model: Path, examples: list[Example]) -> list[Prediction]:
    agent = quiet_agent(model)

    async def run() -> list[Prediction]:
        results = []
        for example in examples:
            parsed: dict[str, Any] = await agent.parse_message(example.text)
            ranking = [item for item in parsed.get("intent_ranking", []) if item["name"] != FALLBACK]
            top = ranking[0] if ranking else {"name": None, "confidence": 0.0}
            second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
            detection = parsed.get("language_detection") or {}
            results.append(
                Prediction(
                    example=example,
                    intent=parsed["intent"]["name"],
                    top_intent=top["name"],
                    confidence=float(top["confidence"]),
                    detected_language=detection.get("language"),
                    margin=float(top["confidence"]) - second,
                )
            )
        return results

    return asyncio.run(run())


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-F1 over the true labels; `pairs` are (true, predicted)."""
    labels = sorted({true for true, _ in pairs})
    true_positive, predicted, actual = Counter(), Counter(), Counter()
    for true, guess in pairs:
        actual[true] += 1
        predicted[guess] += 1
        if true == guess:
            true_positive[true] += 1
    scores = []
    for label in labels:
        precision = true_positive[label] / predicted[label] if predicted[label] else 0.0
        recall = true_positive[label] / actual[label] if actual[label] else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


@dataclass
class LanguageFigures:
    examples: int
    intent_accuracy: float  # the final decision (a fallback counts as wrong)
    macro_f1: float
    out_of_scope_recall: float  # out_of_scope examples answered as out_of_scope or fallback
    in_scope_fallback_rate: float  # in-scope examples wrongly sent to the fallback
    language_detection_accuracy: float
    confusions: list[tuple[str, str, str]] = field(default_factory=list)


def figures(predictions: list[Prediction]) -> dict[str, LanguageFigures]:
    by_language: dict[str, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        by_language[prediction.example.language].append(prediction)
    by_language["all"] = list(predictions)
    result = {}
    for language, items in by_language.items():
        out_of_scope = [p for p in items if p.example.intent == OUT_OF_SCOPE]
        in_scope = [p for p in items if p.example.intent != OUT_OF_SCOPE]
        result[language] = LanguageFigures(
            examples=len(items),
            intent_accuracy=sum(p.intent == p.example.intent for p in items) / len(items),
            macro_f1=macro_f1([(p.example.intent, p.intent) for p in items]),
            out_of_scope_recall=(
                sum(p.intent in (OUT_OF_SCOPE, FALLBACK) for p in out_of_scope) / len(out_of_scope)
                if out_of_scope else 0.0
            ),
            in_scope_fallback_rate=(
                sum(p.intent == FALLBACK for p in in_scope) / len(in_scope) if in_scope else 0.0
            ),
            language_detection_accuracy=sum(p.detected_language == p.example.language for p in items) / len(items),
            confusions=[(p.example.text, p.example.intent, p.intent) for p in items if p.intent != p.example.intent],
        )
    return result


def configured_fallback(config: Path) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in a Rasa config file."""
    import yaml

    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    step = next(step for step in pipeline if step["name"] == "FallbackClassifier")
    return float(step.get("threshold", 0.3)), float(step.get("ambiguity_threshold", 0.1))


def configured_ensemble(config: Path) -> dict[str, Any] | None:
    """IntentEnsemble's settings in a Rasa config file, defaults filled in (None without the ensemble)."""
    import yaml

    from bot.nlu.intent_ensemble import IntentEnsemble

    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    step = next((step for step in pipeline if step["name"].endswith("IntentEnsemble")), None)
    if step is None:
        return None
    return {**IntentEnsemble.get_default_config(), **{key: value for key, value in step.items() if key != "name"}}


def falls_back(prediction: Prediction, threshold: float, ambiguity: float = 0.0) -> bool:
    """Rasa's FallbackClassifier rule: the best intent is below `threshold`, or the second is
    closer to it than `ambiguity`."""
    return prediction.confidence < threshold or prediction.margin < ambiguity


def threshold_sweep(predictions: list[Prediction], thresholds: list[float],
                    ambiguity: float = 0.0) -> list[dict[str, float]]:
    """What each fallback threshold would do on held-out data (for choosing config.yml's)."""
    rows = []
    for threshold in thresholds:
        in_scope = [p for p in predictions if p.example.intent != OUT_OF_SCOPE]
        out_of_scope = [p for p in predictions if p.example.intent == OUT_OF_SCOPE]
        rows.append({
            "threshold": threshold,
            "in_scope_fallback_rate": sum(falls_back(p, threshold, ambiguity) for p in in_scope)
            / max(1, len(in_scope)),
            "in_scope_accepted_wrong_rate": sum(
                not falls_back(p, threshold, ambiguity) and p.top_intent != p.example.intent for p in in_scope
            ) / max(1, len(in_scope)),
            "out_of_scope_recall": sum(
                falls_back(p, threshold, ambiguity) or p.top_intent == OUT_OF_SCOPE for p in out_of_scope
            ) / max(1, len(out_of_scope)),
        })
    return rows


def at_threshold(predictions: list[Prediction], threshold: float, ambiguity: float = 0.0) -> list[Prediction]:
    """The decisions a FallbackClassifier with `threshold` and `ambiguity` would make on the same
    rankings: the fallback or the best intent."""
    return [replace(p, intent=FALLBACK if falls_back(p, threshold, ambiguity) else p.top_intent)
            for p in predictions]


def highest_threshold_within(predictions: list[Prediction], max_in_scope_fallback: float,
                             thresholds: list[float], ambiguity: float = 0.0) -> float:
    """The highest threshold that sends at most `max_in_scope_fallback` of in-scope examples to the
    fallback (the lowest threshold when none does): classifiers compared at the same fallback cost."""
    rows = threshold_sweep(predictions, sorted(thresholds), ambiguity)
    within = [row["threshold"] for row in rows if row["in_scope_fallback_rate"] <= max_in_scope_fallback]
    return max(within) if within else min(thresholds)


CALIBRATION_BANDS = (0.0, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0001)


def calibration(predictions: list[Prediction],
                bands: tuple[float, ...] = CALIBRATION_BANDS) -> list[dict[str, float | str]]:
    """How often the best intent is right per band of its confidence (honest confidence means
    accuracy close to the band's confidence). Out-of-scope examples count as right only when the
    best intent is out_of_scope."""
    rows = []
    for low, high in zip(bands, bands[1:], strict=False):
        inside = [p for p in predictions if low <= p.confidence < high]
        rows.append({
            "band": f"{low:.2f}-{min(high, 1.0):.2f}",
            "share": len(inside) / max(1, len(predictions)),
            "examples": len(inside),
            "accuracy": sum(p.top_intent == p.example.intent for p in inside) / len(inside) if inside else 0.0,
            "mean_confidence": sum(p.confidence for p in inside) / len(inside) if inside else 0.0,
        })
    return rows


@dataclass(frozen=True)
class EnsembleParts:
    """What IntentEnsemble averaged for one message: DIET's ranking, the regression's probabilities
    and the message's number of words (short messages may weigh DIET differently)."""

    diet: list[dict[str, Any]]
    classes: list[str]
    probabilities: list[float]
    words: int


@contextmanager
def recording_ensemble_parts() -> Iterator[list[EnsembleParts]]:
    """Records the inputs of every averaging IntentEnsemble does while parsing in this process, so
    that other DIET weights can be replayed on the same rankings without training again."""
    import bot.nlu.intent_ensemble as ensemble

    recorded: list[EnsembleParts] = []
    original = ensemble.ensemble_ranking

    def record(diet: list[dict[str, Any]], classes: list[str], probabilities: Any, words: int,
               config: dict[str, Any]) -> list[dict[str, Any]]:
        recorded.append(EnsembleParts(list(diet), list(classes), [float(p) for p in probabilities], words))
        return original(diet, classes, probabilities, words, config)

    ensemble.ensemble_ranking = record
    try:
        yield recorded
    finally:
        ensemble.ensemble_ranking = original


def reweighted(predictions: list[Prediction], parts: list[EnsembleParts],
               ensemble_config: dict[str, Any]) -> list[Prediction]:
    """The predictions IntentEnsemble would make with `ensemble_config`'s DIET weights (before the
    fallback rule; apply `at_threshold` for that). `parts` are recorded while making `predictions`,
    one per message."""
    from bot.nlu.intent_ensemble import ensemble_ranking

    if len(parts) != len(predictions):
        raise ValueError(f"{len(parts)} recorded rankings for {len(predictions)} predictions")
    result = []
    for prediction, part in zip(predictions, parts, strict=True):
        ranking = [item for item in ensemble_ranking(part.diet, part.classes, part.probabilities, part.words,
                                                     ensemble_config)
                   if item["name"] != FALLBACK]
        best = ranking[0]
        second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
        result.append(replace(prediction, intent=best["name"], top_intent=best["name"],
                              confidence=float(best["confidence"]), margin=float(best["confidence"]) - second))
    return result


def ensemble_weight_sweep(predictions: list[Prediction], parts: list[EnsembleParts], ensemble_config: dict[str, Any],
                          weights: list[float], thresholds: list[float],
                          ambiguities: list[float]) -> list[dict[str, float]]:
    """Intent accuracy, out-of-scope recall and in-scope fallbacks (all languages) for every DIET
    weight (of messages longer than the configured short ones) x fallback threshold x ambiguity, on
    the same recorded rankings."""
    rows = []
    for weight in weights:
        candidates = reweighted(predictions, parts, {**ensemble_config, "diet_weight": weight})
        for threshold in thresholds:
            for ambiguity in ambiguities:
                overall = figures(at_threshold(candidates, threshold, ambiguity))["all"]
                rows.append({"diet_weight": weight, "threshold": threshold, "ambiguity": ambiguity,
                             "intent_accuracy": overall.intent_accuracy,
                             "out_of_scope_recall": overall.out_of_scope_recall,
                             "in_scope_fallback_rate": overall.in_scope_fallback_rate})
    return rows
