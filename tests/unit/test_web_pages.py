"""The demo page and the widget's own texts: six languages each, escaped, the right language chosen."""

from __future__ import annotations

import json
import re

import pytest

from bot import PROJECT_ROOT
from bot.channels.web_pages import page_language, page_texts, render_demo_page
from bot.settings import load_settings

SETTINGS = load_settings()
LANGUAGES = SETTINGS.languages.supported
WIDGET_TEXTS = json.loads((PROJECT_ROOT / "web" / "widget" / "src" / "texts.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize(("texts", "name"), [(WIDGET_TEXTS, "widget"), (page_texts(), "demo page")])
def test_every_text_exists_in_every_language_with_the_same_placeholders(texts, name):
    assert set(texts) == set(LANGUAGES), name
    keys = set(texts["en"])
    for language in LANGUAGES:
        assert set(texts[language]) == keys, (name, language, keys ^ set(texts[language]))
        for key in keys:
            value, english = texts[language][key], texts["en"][key]
            if isinstance(english, list):
                assert len(value) == len(english) and all(isinstance(v, str) and v.strip() for v in value)
            else:
                assert isinstance(value, str) and value.strip(), (name, language, key)
                assert placeholders(value) == placeholders(english), (name, language, key)


def test_no_two_languages_share_a_widget_text_that_customers_read():
    # A copied English text in another language is a missing translation.
    for key in ("welcome", "placeholder", "offline", "too_long"):
        values = [WIDGET_TEXTS[language][key] for language in LANGUAGES]
        assert len(set(values)) == len(values), key


@pytest.mark.parametrize(("requested", "accept_language", "language"), [
    ("pl", "", "pl"),
    ("PL-pl", "", "pl"),
    ("xx", "tr-TR,tr;q=0.9", "tr"),
    (None, "fr-FR, nl;q=0.8, en;q=0.5", "nl"),
    (None, "fr, es", SETTINGS.languages.default),
    (None, "", SETTINGS.languages.default),
])
def test_the_page_language_comes_from_the_query_then_the_browser_then_the_default(requested, accept_language,
                                                                                   language):
    assert page_language(requested, accept_language, SETTINGS) == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_is_rendered_in_its_language_with_the_service_hours_and_the_widget(language):
    page = render_demo_page(language, SETTINGS)
    texts = page_texts()[language]
    assert f'<html lang="{language}">' in page
    assert f'<option value="{language}" selected' in page
    assert "$" not in page.replace("$(", "")  # every placeholder filled
    assert texts["hours_daily"].format(start="06:00", end="24:00").split()[0] in page
    assert f'<script src="/widget/widget.js" data-language="{language}" defer>' in page
    assert page.count('class="example"') == len(texts["examples"])


def test_texts_are_escaped(monkeypatch):
    from bot.channels import web_pages

    texts = {language: dict(values) for language, values in page_texts().items()}
    texts["en"]["heading"] = '<script>alert("x")</script>'
    monkeypatch.setattr(web_pages, "page_texts", lambda: texts)
    page = web_pages.render_demo_page("en", SETTINGS)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
