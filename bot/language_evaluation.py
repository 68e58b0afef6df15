"""Language-detection figures for `make benchmark ARGS=--languages` (no Rasa model needed).

For every detector of bot/language_detectors.py and every pair and triple of them (probabilities
averaged, as the bot does), on the held-out messages of both sets (tests/nlu with tests/help, and
tests/nlu_styled) and on the training messages (data/nlu; the shop-vocabulary model is then
learnt on the other half, two folds):
- first message: the language `choose_language` gives a first message without a channel hint,
  counted right when it is the message's language or the one it asks for ("in English please");
  messages with nothing to go by (an order number, an e-mail address) are left out and counted
  apart (`no_letters`: they get the channel's hint or the shop's default language);
- short: the same on messages of three words or fewer;
- conversations: per customer turn of the held-out conversation stories (tests/conversations),
  with the conversation's stickiness, no hint;
- clear errors: of the messages counted clear enough to switch a conversation, the share that is
  in fact another language (what settings.yml's min_probability guards);
- milliseconds per message.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.language import SHOP_VOCABULARY, Detection, LanguageIdentifier, choose_language, is_clear, requested_language
from bot.language_detectors import GENERIC_DETECTORS, Detector, ShopVocabularyModel, generic_detector
from bot.nlu.language_detector import shop_texts
from bot.nlu_files import intent_examples, plain_text, read_examples
from bot.settings import Settings

DETECTORS = (SHOP_VOCABULARY, *GENERIC_DETECTORS)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Message:
    text: str
    language: str


def styled_messages(languages: tuple[str, ...]) -> list[Message]:
    """The second held-out set (tests/nlu_styled): another writer, a different style."""
    return [Message(e.text, language) for language in languages
            for e in read_examples(PROJECT_ROOT / "tests" / "nlu_styled" / f"{language}.yml", language)]


def held_out_messages(languages: tuple[str, ...]) -> list[Message]:
    messages = []
    for language in languages:
        nlu_file = PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml"
        help_file = PROJECT_ROOT / "tests" / "help" / f"{language}.yml"
        messages += [Message(e.text, language) for e in read_examples(nlu_file, language)]
        messages += [Message(plain_text(text), language)
                     for texts in intent_examples(help_file).values() for text in texts]
    return messages


def conversations(languages: tuple[str, ...]) -> list[list[Message]]:
    """The customer turns of each held-out conversation story."""
    stories = []
    for language in languages:
        raw = yaml.safe_load((PROJECT_ROOT / "tests" / "conversations" / f"{language}.yml").read_text(encoding="utf-8"))
        for story in raw.get("stories") or []:
            turns = [Message(str(step["user"]), language) for step in story.get("steps") or [] if "user" in step]
            if turns:
                stories.append(turns)
    return stories


def combinations() -> list[tuple[str, ...]]:
    return [combo for size in (1, 2, 3) for combo in itertools.combinations(DETECTORS, size)]


def _expected(message: Message) -> str:
    return requested_language(message.text) or message.language


def _first_message_language(detection: Detection, text: str, settings: Settings) -> str:
    return choose_language(current=None, hint=None, detection=detection,
                           requested=requested_language(text), settings=settings)


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def measure(identifier: LanguageIdentifier, messages: list[Message], settings: Settings,
            stories: list[list[Message]] | None) -> dict[str, Any]:
    languages = settings.languages.supported
    started = time.perf_counter()
    detections = [identifier.detect(m.text) for m in messages]
    elapsed = time.perf_counter() - started
    judged = [(d, m) for d, m in zip(detections, messages, strict=True) if d.language is not None]
    first = [(_first_message_language(d, m.text, settings) == _expected(m), m) for d, m in judged]
    row: dict[str, Any] = {"no_letters": _ratio(len(messages) - len(judged), len(messages))}
    for language in languages:
        picked = [ok for ok, m in first if m.language == language]
        row[f"first_{language}"] = _ratio(sum(picked), len(picked))
    row["first_all"] = _ratio(sum(ok for ok, _ in first), len(first))
    row["first_min"] = min(row[f"first_{language}"] for language in languages)
    short = [ok for ok, m in first if len(_WORD.findall(m.text)) <= 3]
    row["short"] = _ratio(sum(short), len(short))
    clear = [d.language == m.language for d, m in judged if is_clear(d, settings)]
    row["clear_share"] = _ratio(len(clear), len(messages))
    row["clear_errors"] = _ratio(len(clear) - sum(clear), len(clear))
    row["ms_per_message"] = round(elapsed / max(1, len(messages)) * 1000, 3)
    if stories is not None:
        right = total = 0
        for turns in stories:
            current = None
            for turn in turns:
                current = choose_language(current=current, hint=None, detection=identifier.detect(turn.text),
                                          requested=requested_language(turn.text), settings=settings)
                right += current == _expected(turn)
                total += 1
        row["conversation_turns"] = _ratio(right, total)
    return row


def _identifier(combo: tuple[str, ...], vocabulary: ShopVocabularyModel, generic: dict[str, Detector],
                settings: Settings) -> LanguageIdentifier:
    detectors = {name: vocabulary if name == SHOP_VOCABULARY else generic[name] for name in combo}
    return LanguageIdentifier.from_settings(settings, detectors)


def language_figures(settings: Settings) -> dict[str, dict[str, dict[str, Any]]]:
    """{"held_out": {combo: row}, "held_out_styled": ..., "training": ...}; combo names joined with '+'."""
    languages = settings.languages.supported
    rules = settings.language_detection
    generic = {name: generic_detector(name, languages, rules.seed) for name in GENERIC_DETECTORS}
    texts = shop_texts(PROJECT_ROOT / "data" / "nlu", languages, rules.ignored_words)
    vocabulary = ShopVocabularyModel.train(texts)
    held_out = held_out_messages(languages)
    stories = conversations(languages)
    training = [Message(e.text, language) for language in languages
                for e in read_examples(PROJECT_ROOT / "data" / "nlu" / f"{language}.yml", language)]
    # Two folds for the training messages: the vocabulary model never sees the half it is measured on.
    halves = (training[0::2], training[1::2])
    fold_models = [ShopVocabularyModel.train({
        language: [m.text for m in halves[1 - index] if m.language == language] for language in languages
    }) for index in range(2)]
    styled = styled_messages(languages)
    result: dict[str, dict[str, dict[str, Any]]] = {"held_out": {}, "held_out_styled": {}, "training": {}}
    for combo in combinations():
        name = "+".join(combo)
        identifier = _identifier(combo, vocabulary, generic, settings)
        result["held_out"][name] = measure(identifier, held_out, settings, stories)
        result["held_out_styled"][name] = measure(identifier, styled, settings, None)
        rows = [measure(_identifier(combo, fold_models[i], generic, settings), halves[i], settings, None)
                for i in range(2)]
        result["training"][name] = {key: round((rows[0][key] + rows[1][key]) / 2, 4) for key in rows[0]}
    return result
