"""Trained models named by a fingerprint of everything that shapes them.

`make run` and `make test` train only when no model matches the current data, configuration and
NLU code; a second start with unchanged data reuses the model.

Rasa's training cache restores a component whose config, class source and inputs are unchanged,
even when code it calls has changed (a helper module like bot/language_detectors.py). So each
version of the NLU code gets a cache directory of its own: a change of data alone still reuses
what it can (DIET when only the domain changed), a change of code trains afresh.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from bot import PROJECT_ROOT
from bot.help.domain_export import HELP_DOMAIN, write_help_domain

MODELS_DIR = PROJECT_ROOT / "models"
TRAINING_CACHES = PROJECT_ROOT / ".rasa" / "training-caches"
# The code (and packages) a trained model's components run, relative to the project root.
CODE_INPUTS = (
    "bot/nlu",
    "bot/language.py",
    "bot/language_detectors.py",
    "bot/text_folding.py",
    "bot/nlu_files.py",
    "bot/help/articles.py",
    "bot/patterns.py",
    "requirements/lock.txt",
)
# What a trained model depends on, relative to the project root.
TRAINING_INPUTS = ("domain", "data", *CODE_INPUTS)
# Sections of settings.yml a trained model depends on (the language detector learns its vocabulary
# without `ignored_words`); the rest of the file (business rules) never needs a new model.
TRAINING_SETTINGS = ("languages", "language_detection")


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in {".yml", ".py", ".txt"})
        elif path.is_file():
            found.append(path)
    return found


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(paths):
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _training_settings(root: Path) -> str:
    path = root / "settings.yml"
    if not path.is_file():
        return ""
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return json.dumps({name: settings.get(name) for name in TRAINING_SETTINGS}, sort_keys=True, default=str)


def fingerprint(config: Path, root: Path = PROJECT_ROOT) -> str:
    """A short hash of the config file, the training inputs (names and contents) and the sections
    of settings.yml that shape a model."""
    files = _digest([config, *(root / name for name in TRAINING_INPUTS)], root)
    settings = _training_settings(root)
    if not settings:
        return files
    return hashlib.sha256(f"{files}:{settings}".encode()).hexdigest()[:12]


def training_cache(root: Path = PROJECT_ROOT, caches: Path = TRAINING_CACHES) -> Path:
    """Rasa's cache directory for the current NLU code (see the module's docstring)."""
    return caches / f"code-{_digest([root / name for name in CODE_INPUTS], root)}"


def _prepare_training_cache(cache: Path) -> None:
    """Creates `cache` and removes the caches of other code versions (about 1 GB each)."""
    if cache.parent.is_dir():
        for other in cache.parent.iterdir():
            if other != cache and other.name.startswith("code-"):
                shutil.rmtree(other, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)


def model_path(config: Path, out_dir: Path = MODELS_DIR) -> Path:
    return out_dir / f"{config.stem}-{fingerprint(config)}.tar.gz"


def ensure_model(config: Path = PROJECT_ROOT / "config.yml", out_dir: Path = MODELS_DIR) -> Path:
    """The model for the current inputs, trained first if it does not exist yet."""
    if write_help_domain():
        print(f"Help articles changed: wrote {HELP_DOMAIN}", flush=True)
    target = model_path(config, out_dir)
    if target.exists():
        print(f"Model is up to date: {target}")
        return target
    print(f"Training {target.name} (data or configuration changed) ...", flush=True)
    cache = training_cache()
    _prepare_training_cache(cache)
    subprocess.run(
        [
            sys.executable, "-m", "rasa", "train",
            "--config", str(config),
            "--domain", str(PROJECT_ROOT / "domain"),
            "--data", str(PROJECT_ROOT / "data"),
            "--out", str(out_dir),
            "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_CACHE_DIRECTORY": str(cache)},
        check=True,
    )
    if not target.exists():
        raise RuntimeError(f"rasa train did not write {target}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml")
    args = parser.parse_args()
    ensure_model(args.config.resolve())
    ensure_help_index()


def ensure_help_index() -> None:
    """Embeds the help articles now (cached under var/help_index/), not on a customer's first
    question: a fresh clone's action server would otherwise spend its first seconds on it."""
    from bot.help.search import help_search  # loads the sentence model; only `make model` needs it

    search = help_search()
    print(f"Help search is ready ({len(search.languages)} languages)", flush=True)


if __name__ == "__main__":
    main()
