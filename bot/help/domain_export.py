"""Writes the articles' chat texts into domain/help.yml as the responses `utter_<article id>`.

The ResponseSelector needs a domain response per retrieval intent, and Rasa's NLG fills the
{placeholders}; the articles under data/knowledge/ stay the only place to edit. `make model` runs
this before training; `python -m bot.help.domain_export --check` fails when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.help.articles import KnowledgeBase, load_knowledge_base, render_article
from bot.settings import Settings, load_settings

HELP_DOMAIN = PROJECT_ROOT / "domain" / "help.yml"
_HEADER = (
    "# Generated from data/knowledge/ by `python -m bot.help.domain_export` (make model runs it).\n"
    "# Do not edit: change the article files instead.\n"
)


def help_responses(knowledge: KnowledgeBase, settings: Settings) -> dict[str, list[dict[str, Any]]]:
    return {
        article.response_name: [
            {
                "text": render_article(article, language, knowledge, settings.help.article_url),
                "condition": [{"type": "slot", "name": "language", "value": language}],
            }
            for language in settings.languages.supported
        ]
        for article in sorted(knowledge.articles.values(), key=lambda a: a.id)
    }


def help_domain_text(settings: Settings | None = None) -> str:
    settings = settings or load_settings()
    knowledge = load_knowledge_base(settings.languages.supported)
    body = {"version": "3.1", "responses": help_responses(knowledge, settings)}
    return _HEADER + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1_000_000)


def write_help_domain(path: Path = HELP_DOMAIN) -> bool:
    """Writes the file when its content changed; True when it did."""
    text = help_domain_text()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = not HELP_DOMAIN.exists() or HELP_DOMAIN.read_text(encoding="utf-8") != help_domain_text()
        if stale:
            print(f"{HELP_DOMAIN} is stale: run python -m bot.help.domain_export", file=sys.stderr)
        return 1 if stale else 0
    print(f"{HELP_DOMAIN} {'written' if write_help_domain() else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
