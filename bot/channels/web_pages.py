"""The shop's demo help page at `/` with the chat widget embedded, and the widget's built files.

- `GET /` (and `/?lang=pl`) is the help page in the customer's language: `?lang=`, else the
  browser's Accept-Language, else the shop's default. Rasa's own app already owns `/` ("Hello
  from Rasa") and a channel cannot add that route again, so the page is served by a request
  middleware that this channel's blueprint installs on the app when Rasa registers it; health
  probes use `/version`.
- `GET /widget/<file>` serves the widget as built by `make widget` (web/widget/dist: npm's
  socket.io-client bundled by esbuild); `GET /widget/demo/<file>` the demo page's own script and
  styles.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import PROJECT_ROOT
from bot.language import normalize_language_code
from bot.settings import Settings, load_settings

DEMO_DIR = Path(__file__).parent / "static" / "demo"
WIDGET_DIST = PROJECT_ROOT / "web" / "widget" / "dist"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".map": "application/json", ".svg": "image/svg+xml"}
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}
# The demo page loads only its own files and the widget from this port.
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
               "base-uri 'none'; form-action 'self'")
# Each language named in itself, for the page's language picker.
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English", "nl": "Nederlands", "pl": "Polski", "tr": "Türkçe",
                  "cs": "Čeština"}


@lru_cache(maxsize=1)
def page_texts() -> dict[str, dict[str, Any]]:
    """The demo page's texts per language (static/demo/texts.yml)."""
    return yaml.safe_load((DEMO_DIR / "texts.yml").read_text(encoding="utf-8"))


def page_language(requested: str | None, accept_language: str, settings: Settings) -> str:
    """`?lang=` if supported, else the first supported language the browser accepts, else the default."""
    supported = settings.languages.supported
    chosen = normalize_language_code(requested, supported)
    if chosen:
        return chosen
    for part in accept_language.split(","):
        accepted = normalize_language_code(part.split(";")[0], supported)
        if accepted:
            return accepted
    return settings.languages.default


def _clock(value: Any) -> str:
    return "24:00" if value is None else value.strftime("%H:%M")


def render_demo_page(language: str, settings: Settings) -> str:
    """The help page in `language`, every text HTML-escaped."""
    texts = page_texts()[language]
    hours = settings.service_hours
    service_hours = texts["hours_daily"].format(start=_clock(hours.opens), end=_clock(hours.closes))
    values = {key: html.escape(str(value)) for key, value in texts.items() if isinstance(value, str)}
    values.update(
        lang=language,
        shop=html.escape(settings.web.shop_name),
        page_title=html.escape(texts["page_title"].format(shop=settings.web.shop_name)),
        contact_text=html.escape(texts["contact_text"].format(hours=service_hours)),
        language_options="".join(
            f'<option value="{code}"{" selected" if code == language else ""} lang="{code}">'
            f"{html.escape(LANGUAGE_NAMES.get(code, code))}</option>"
            for code in settings.languages.supported
        ),
        examples="".join(
            f'<li><button type="button" class="example" data-message="{html.escape(example)}">'
            f"{html.escape(example)}</button></li>"
            for example in texts["examples"]
        ),
    )
    return Template((DEMO_DIR / "index.html").read_text(encoding="utf-8")).substitute(values)


def _file(directory: Path, name: str, suffixes: tuple[str, ...] = tuple(CONTENT_TYPES)) -> HTTPResponse:
    path = directory / name
    if path.suffix not in suffixes or path.parent != directory or not path.is_file():
        return response.json({"error": "Not found."}, status=404)
    return response.raw(path.read_bytes(), content_type=CONTENT_TYPES[path.suffix],
                        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


async def serve_demo_page(request: Request) -> HTTPResponse | None:
    """Request middleware: answers GET / with the demo page; every other request goes on."""
    if request.path != "/" or request.method not in ("GET", "HEAD"):
        return None
    settings = load_settings()
    language = page_language(request.args.get("lang"), request.headers.get("accept-language", ""), settings)
    return response.html(render_demo_page(language, settings),
                         headers={**SECURITY_HEADERS, "Cache-Control": "no-cache", "Content-Language": language,
                                  "Content-Security-Policy": PAGE_POLICY})


class RootPageBlueprint(Blueprint):
    """A blueprint that also installs the `/` middleware on the app it is registered with."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        super().register(app, options)
        if serve_demo_page not in app.request_middleware:
            app.register_middleware(serve_demo_page, "request")


class ShopPagesInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "shop_pages"

    def url_prefix(self) -> str:
        return "/widget"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        routes = RootPageBlueprint("shop_pages")

        @routes.route("/<name>", methods=["GET"])
        async def widget_file(request: Request, name: str) -> HTTPResponse:
            return _file(WIDGET_DIST, name)

        @routes.route("/demo/<name>", methods=["GET"])
        async def demo_file(request: Request, name: str) -> HTTPResponse:
            return _file(DEMO_DIR, name, (".js", ".css"))

        return routes
