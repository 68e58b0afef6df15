"""Intent-classification candidates, trained NLU-only and compared on both held-out sets.

`make benchmark ARGS="--nlu-candidates bot diet augmented"`: each candidate is config.yml's
pipeline changed in one way, trained with `rasa train nlu` from scratch (Rasa's cache off, so the
training times are real) without the ResponseSelector (it picks an article inside faq/kindle and
does not change the intent) and without dialogue policies. Printed as a table, written as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.evaluation import at_threshold, configured_fallback, figures, highest_threshold_within, predict
from bot.nlu_files import Example

Pipeline = list[dict[str, Any]]
DIET = "DIETClassifier"


def _diet_index(pipeline: Pipeline) -> int:
    return next(i for i, step in enumerate(pipeline) if step["name"] == DIET)


ENSEMBLE = "bot.nlu.intent_ensemble.IntentEnsemble"


def _diet_alone(pipeline: Pipeline) -> Pipeline:
    """DIET as the only intent classifier, with Rasa's default ranking length."""
    steps = [step for step in pipeline if step["name"] != ENSEMBLE]
    return [{key: value for key, value in step.items() if key != "ranking_length"} if step["name"] == DIET
            else step for step in steps]


def _ensemble(pipeline: Pipeline) -> Pipeline:
    pipeline = _diet_alone(pipeline)
    at = _diet_index(pipeline)
    diet = {**pipeline[at], "ranking_length": 0}
    return [*pipeline[:at], diet, {"name": ENSEMBLE}, *pipeline[at + 1:]]


def _regression_on_counts(pipeline: Pipeline) -> Pipeline:
    """The ensemble's regression on the pipeline's raw sparse counts (configured until 2026-12-07)."""
    counts = {"regression_features": "pipeline", "C": 1.0, "max_iter": 300}
    return [{**step, **counts} if step["name"] == ENSEMBLE else step for step in pipeline]


def _unfolded(pipeline: Pipeline) -> Pipeline:
    """The ensemble's regression on the text with its diacritics (configured until 2026-12-07)."""
    return [{**step, "fold_diacritics": False} if step["name"] == ENSEMBLE else step for step in pipeline]


def _no_prefixes(pipeline: Pipeline) -> Pipeline:
    """The ensemble's regression without the word-prefix features, DIET's share 0.25 (configured
    until 2026-12-07)."""
    return [{**step, "word_prefix_length": 0, "diet_weight": 0.25} if step["name"] == ENSEMBLE else step
            for step in pipeline]


def _diet_folded(pipeline: Pipeline) -> Pipeline:
    """DIET's word and character counts of the text without diacritics (Rasa's strip_accents)."""
    return [{**step, "strip_accents": "unicode"} if step["name"] == "CountVectorsFeaturizer" else step
            for step in pipeline]


def _augmented(pipeline: Pipeline) -> Pipeline:
    return [{"name": "bot.nlu.augmentation.TrainingAugmenter"}, *pipeline]


def _logreg(pipeline: Pipeline) -> Pipeline:
    pipeline = _diet_alone(pipeline)
    at = _diet_index(pipeline)
    regression = {"name": "LogisticRegressionClassifier", "max_iter": 300, "random_state": 42}
    return [*pipeline[:at], regression, *pipeline[at + 1:]]


def _diet_with(**settings: Any) -> Callable[[Pipeline], Pipeline]:
    """config.yml's pipeline with DIET's `settings` changed."""
    def change(pipeline: Pipeline) -> Pipeline:
        at = _diet_index(pipeline)
        return [*pipeline[:at], {**pipeline[at], **settings}, *pipeline[at + 1:]]
    return change


# Each is config.yml's pipeline changed in one way (`bot` unchanged).
CANDIDATES: dict[str, Callable[[Pipeline], Pipeline]] = {
    "bot": lambda pipeline: pipeline,
    "diet": _diet_alone,
    "ensemble": _ensemble,
    "ensemble_counts": _regression_on_counts,
    "unfolded": _unfolded,
    "no_prefixes": _no_prefixes,
    "diet_folded": _diet_folded,
    "augmented": _augmented,
    "augmented_ensemble": lambda pipeline: _augmented(_ensemble(pipeline)),
    "logreg": _logreg,
    "diet_large": _diet_with(epochs=50, number_of_transformer_layers=2, transformer_size=256),
    # DIET's retraining noise and regularisation (Rasa's defaults: drop_rate 0.2,
    # regularization_constant 0.002).
    "diet_seed7": _diet_with(random_seed=7),
    "diet_dropout": _diet_with(drop_rate=0.35),
    "diet_regularised": _diet_with(regularization_constant=0.01),
}


def candidate_nlu_config(name: str, directory: Path, base_config: Path = PROJECT_ROOT / "config.yml") -> Path:
    """The candidate's NLU-only config file in `directory`."""
    config = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    pipeline = [step for step in config["pipeline"] if step["name"] != "ResponseSelector"]
    config["pipeline"] = CANDIDATES[name](pipeline)
    config.pop("policies", None)
    path = directory / f"nlu-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def train_nlu(config: Path, out_dir: Path, name: str) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config),
         "--nlu", str(PROJECT_ROOT / "data"), "--out", str(out_dir), "--fixed-model-name", name],
        cwd=PROJECT_ROOT, check=True, env={**os.environ, "RASA_MAX_CACHE_SIZE": "0"},
    )
    return out_dir / f"{name}.tar.gz", time.perf_counter() - started


MAX_IN_SCOPE_FALLBACK = 0.03
THRESHOLDS = [round(0.2 + 0.05 * step, 2) for step in range(13)]  # 0.2 .. 0.8


def _without_confusions(per_language: dict[str, Any]) -> dict[str, Any]:
    rows = {lang: asdict(f) for lang, f in per_language.items()}
    for values in rows.values():
        values.pop("confusions")
    return rows


def compare(names: list[str], held_out: dict[str, list[Example]], output: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="nlu-candidates-") as tmp:
        work = Path(tmp)
        for name in names:
            print(f"\n=== {name} ===", flush=True)
            config = candidate_nlu_config(name, work)
            model, seconds = train_nlu(config, work / "models", name)
            _, ambiguity = configured_fallback(config)
            result: dict[str, Any] = {"training_seconds": round(seconds, 1),
                                      "model_mb": round(model.stat().st_size / 1e6, 1)}
            predictions = {folder: predict(model, examples) for folder, examples in held_out.items()}
            # Also at the candidate's own threshold: the highest that sends at most 3 % of the first
            # set's in-scope messages to the fallback, so that softer probabilities are not penalised.
            own = highest_threshold_within(next(iter(predictions.values())), MAX_IN_SCOPE_FALLBACK, THRESHOLDS,
                                           ambiguity)
            result["own_threshold"] = own
            for folder, items in predictions.items():
                result[folder] = _without_confusions(figures(items))
                result[f"{folder}@own"] = _without_confusions(figures(at_threshold(items, own, ambiguity)))
            results[name] = result
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(json.dumps(results, indent=2), encoding="utf-8")  # after each: a long run may stop
    print_table(results, [key for folder in held_out for key in (folder, f"{folder}@own")])
    print(f"\nWritten to {output}")
    return results


def print_table(results: dict[str, Any], folders: list[str]) -> None:
    names = list(results)
    print("\n" + "metric".ljust(36) + "".join(name.rjust(19) for name in names))

    def row(label: str, pick: Callable[[dict[str, Any]], str]) -> None:
        print(label.ljust(36) + "".join(pick(results[name]).rjust(19) for name in names))

    for folder in folders:
        languages = list(next(iter(results.values()))[folder])
        for lang in languages:
            row(f"{folder} accuracy {lang}", lambda r, f=folder, lang=lang: f"{r[f][lang]['intent_accuracy']:.3f}")
        row(f"{folder} macro-F1 all", lambda r, f=folder: f"{r[f]['all']['macro_f1']:.3f}")
        row(f"{folder} out-of-scope recall", lambda r, f=folder: f"{r[f]['all']['out_of_scope_recall']:.3f}")
        row(f"{folder} in-scope to fallback", lambda r, f=folder: f"{r[f]['all']['in_scope_fallback_rate']:.3f}")
    row("own threshold (@own rows)", lambda r: f"{r['own_threshold']:.2f}")
    row("training s (NLU only)", lambda r: f"{r['training_seconds']:.0f}")
    row("model MB", lambda r: f"{r['model_mb']:.1f}")
