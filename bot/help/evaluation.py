"""Help-article figures on the held-out help questions (tests/help/<lang>.yml), for `make benchmark`.

Per language: the ResponseSelector alone (top-1 answered right, gold in its top 3), each search
ranking alone (lexical BM25, semantic embeddings, both combined), and what the bot does with and
without the search: answer right, offer the right article among "Did you mean ...?" buttons, or
nothing (a rephrase question, then a person).
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.help.articles import knowledge_base
from bot.help.search import HelpSearch
from bot.help.selection import chosen_article, decide, out_of_scope_suggestions
from bot.nlu_files import Example
from bot.settings import Settings

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
HELP_INTENTS = ("kindle", "faq")
SEARCH_MODES = {"lexical": 0.0, "semantic": 1.0, "combined": None}


@dataclass(frozen=True)
class HelpCase:
    example: Example
    gold: str  # article id
    parse: dict[str, Any]


def parse_all(model: Path, examples: list[tuple[Example, str]]) -> list[HelpCase]:
    from bot.evaluation import quiet_agent

    agent = quiet_agent(model)

    async def run() -> list[HelpCase]:
        return [HelpCase(example, gold, await agent.parse_message(example.text)) for example, gold in examples]

    return asyncio.run(run())


def outcome(case: HelpCase, search: HelpSearch | None, settings: Settings) -> str:
    """answered_right | answered_wrong | offered_right | offered_wrong | other_intent | nothing_offered,
    as the bot's actions decide (action_answer_article, action_low_confidence, action_out_of_scope)."""
    intent = (case.parse.get("intent") or {}).get("name")
    language = case.example.language
    hits = search.search(case.example.text, language) if search is not None else []
    if intent == OUT_OF_SCOPE:
        offered = out_of_scope_suggestions(hits, settings.help)
        if not offered:
            return "other_intent"
        return "offered_right" if case.gold in offered else "offered_wrong"
    if intent not in (*HELP_INTENTS, FALLBACK):
        return "other_intent"
    if intent == FALLBACK:  # the fallback action offers only the search's articles
        good = [hit.article_id for hit in hits if hit.score >= settings.help.search.min_score]
        offered = good[: settings.help.search.results]
        if not offered:
            return "nothing_offered"
        return "offered_right" if case.gold in offered else "offered_wrong"
    choice = chosen_article(case.parse, set(knowledge_base().articles))
    decision = decide(choice, hits, settings.help)
    if decision.answer:
        return "answered_right" if decision.answer == case.gold else "answered_wrong"
    if not decision.offered:
        return "nothing_offered"
    return "offered_right" if case.gold in decision.offered else "offered_wrong"


def _ratio(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0


def help_figures(cases: list[HelpCase], search: HelpSearch, settings: Settings) -> dict[str, dict[str, Any]]:
    by_language: dict[str, list[HelpCase]] = defaultdict(list)
    for case in cases:
        by_language[case.example.language].append(case)
    by_language["all"] = list(cases)
    result: dict[str, dict[str, Any]] = {}
    for language, items in by_language.items():
        total = len(items)
        row: dict[str, Any] = {"questions": total}
        selector_top3 = 0
        for case in items:
            ranking = ((case.parse.get("response_selector") or {}).get("default") or {}).get("ranking") or []
            keys = [item.get("intent_response_key") for item in ranking[:3]]
            selector_top3 += case.gold in keys
        row["selector_top3"] = _ratio(selector_top3, total)
        for mode, weight in SEARCH_MODES.items():
            ranked = [[hit.article_id for hit in search.search(c.example.text, c.example.language, limit=3,
                                                                semantic_weight=weight)] for c in items]
            pairs = list(zip(ranked, items, strict=True))
            row[f"search_{mode}_top1"] = _ratio(sum(r[:1] == [c.gold] for r, c in pairs), total)
            row[f"search_{mode}_top3"] = _ratio(sum(c.gold in r for r, c in pairs), total)
        for label, engine in (("without_search", None), ("with_search", search)):
            counts = Counter(outcome(case, engine, settings) for case in items)
            row[f"{label}_top1"] = _ratio(counts["answered_right"], total)
            row[f"{label}_top3"] = _ratio(counts["answered_right"] + counts["offered_right"], total)
            row[f"{label}_nothing_offered"] = _ratio(counts["nothing_offered"], total)
            row[f"{label}_other_intent"] = _ratio(counts["other_intent"], total)
            row[f"{label}_outcomes"] = dict(counts)
        result[language] = row
    return result
