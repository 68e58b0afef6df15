"""GET /help/search?q=...&lang=..: the help-article search for the shop's help pages, as JSON.

An input channel only for its route (no messages): enabled in both credentials files.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers import answer_variables
from bot.help.articles import fill_placeholders, knowledge_base
from bot.help.search import SearchHit, help_search, warm_up_in_background
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)

MAX_RESULTS = 10


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def hit_json(hit: SearchHit, language: str, settings: Settings) -> dict[str, Any]:
    article = knowledge_base().articles[hit.article_id]
    values = answer_variables(settings, language)
    text = article.texts[language]
    return {
        "id": article.id,
        "title": fill_placeholders(text.title, values),
        "answer": fill_placeholders(text.answer, values),
        "steps": [fill_placeholders(step, values) for step in text.steps],
        "url": article.link(language, settings.help.article_url),
        "score": round(hit.score, 4),
        "semantic_score": round(hit.semantic, 4),
        "lexical_score": round(hit.lexical, 4),
    }


def parse_query(args: dict[str, list[str]], settings: Settings) -> tuple[str, str, int] | str:
    """(query, language, limit) from the request's query string, or the error message."""
    query = (args.get("q") or [""])[0].strip()
    if not query:
        return "Parameter q (the question) is required."
    if len(query) > settings.limits.max_message_chars:
        return f"Parameter q is longer than {settings.limits.max_message_chars} characters."
    language = (args.get("lang") or [settings.languages.default])[0].strip().lower()
    if language not in settings.languages.supported:
        return f"Parameter lang must be one of {', '.join(settings.languages.supported)}."
    raw_limit = (args.get("limit") or [str(settings.help.search.results)])[0]
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_RESULTS:
        return f"Parameter limit must be a whole number from 1 to {MAX_RESULTS}."
    return query, language, int(raw_limit)


class HelpSearchInput(InputChannel):
    """GET /help/search: the best articles for a question, best first, with their scores."""

    @classmethod
    def name(cls) -> str:
        return "help"

    def url_prefix(self) -> str:
        return "/help"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = Blueprint("help_search")
        warm_up_in_background()

        @routes.route("/search", methods=["GET"])
        async def search(request: Request) -> HTTPResponse:
            settings = load_settings()
            # Sanic's args.get() gives the first value; parse_query takes every value as a list.
            parsed = parse_query({key: request.args.getlist(key) for key in request.args}, settings)
            if isinstance(parsed, str):
                return _error(400, parsed)
            query, language, limit = parsed
            try:
                # Encoding the question takes a few milliseconds of CPU: not on the event loop.
                engine = await asyncio.to_thread(help_search)
                hits = await asyncio.to_thread(engine.search, query, language, limit)
            except Exception:  # noqa: BLE001 - the caller gets a clear 503, the log the details
                logger.exception("help search failed")
                return _error(503, "The help search is unavailable right now. Please try again later.")
            good = [hit for hit in hits if hit.score >= settings.help.search.min_score]
            return response.json({
                "query": query,
                "language": language,
                "results": [hit_json(hit, language, settings) for hit in good],
            })

        return routes
