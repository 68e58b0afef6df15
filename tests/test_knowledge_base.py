"""The help knowledge base (data/knowledge/): complete in six languages and in step with the domain."""

import re
from pathlib import Path

import pytest
import yaml

from bot.answers import answer_variables
from bot.help.articles import OFFERABLE_TOPICS, KnowledgeBaseError, load_knowledge_base
from bot.help.domain_export import HELP_DOMAIN, help_domain_text
from bot.settings import load_settings
from tests.helpers import LANGUAGES, domain, nlu_examples, training_file

KNOWLEDGE = load_knowledge_base(LANGUAGES)
ARTICLES = KNOWLEDGE.articles
PLACEHOLDER = re.compile(r"\{(\w+)\}")
HELD_OUT_HELP = Path(__file__).parent / "help"


def test_the_knowledge_base_covers_the_promised_topics():
    kindle = [a for a in ARTICLES if a.startswith("kindle/")]
    other = [a for a in ARTICLES if a.startswith("faq/")]
    assert len(kindle) >= 15 and len(other) >= 10, (kindle, other)


@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_every_article_has_a_title_an_answer_and_steps_in_every_language(article_id):
    texts = ARTICLES[article_id].texts
    assert sorted(texts) == sorted(LANGUAGES)
    for language, text in texts.items():
        assert text.title and text.answer and len(text.steps) >= 2, (article_id, language)
        # a title is a title, not a paragraph
        assert len(text.title) <= 80 and "\n" not in text.title, (article_id, language, text.title)


@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_placeholders_are_filled_from_settings_and_the_same_in_every_language(article_id):
    known = set(answer_variables(load_settings(), "en"))
    per_language = {
        language: set(PLACEHOLDER.findall(" ".join([t.title, t.answer, *t.steps])))
        for language, t in ARTICLES[article_id].texts.items()
    }
    assert per_language["en"] <= known, per_language["en"] - known
    assert all(found == per_language["en"] for found in per_language.values()), per_language


def test_a_missing_language_or_step_list_is_refused(tmp_path):
    article = {"id": "kindle/sync", **{lang: {"title": "t", "answer": "a", "steps": ["x", "y"]} for lang in LANGUAGES}}
    (tmp_path / "kindle").mkdir()
    (tmp_path / "labels.yml").write_text(yaml.safe_dump({"more_info": {lang: "More:" for lang in LANGUAGES}}))
    path = tmp_path / "kindle" / "sync.yml"
    path.write_text(yaml.safe_dump(article))
    assert "kindle/sync" in load_knowledge_base(LANGUAGES, tmp_path).articles
    del article["cs"]
    path.write_text(yaml.safe_dump(article))
    with pytest.raises(KnowledgeBaseError, match="cs"):
        load_knowledge_base(LANGUAGES, tmp_path)
    article["cs"] = {"title": "t", "answer": "a", "steps": []}
    path.write_text(yaml.safe_dump(article))
    with pytest.raises(KnowledgeBaseError, match="steps"):
        load_knowledge_base(LANGUAGES, tmp_path)
    article["cs"] = {"title": "t", "answer": "a", "steps": ["x"]}
    for offers in ("human_handoff", ["callback"], ["return_item", "return_item"]):
        article["offers"] = offers  # not a list / a topic no button starts / twice
        path.write_text(yaml.safe_dump(article))
        with pytest.raises(KnowledgeBaseError, match="offers"):
            load_knowledge_base(LANGUAGES, tmp_path)


def test_the_generated_domain_responses_match_the_articles():
    assert HELP_DOMAIN.read_text(encoding="utf-8") == help_domain_text(), (
        "domain/help.yml is stale: run python -m bot.help.domain_export")
    responses = domain()["responses"]
    assert {name for name in responses if name.startswith(("utter_kindle/", "utter_faq/"))} == {
        article.response_name for article in ARTICLES.values()}


def test_every_topic_an_article_may_offer_has_a_button_title_in_every_language():
    responses = domain()["responses"]
    for topic in OFFERABLE_TOPICS:
        variants = responses[f"utter_topic_{topic}"]
        assert sorted(v["condition"][0]["value"] for v in variants) == sorted(LANGUAGES), topic


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_article_has_training_questions_and_every_topic_an_article(language):
    topics = {intent for intent in nlu_examples(training_file(language)) if intent.startswith(("kindle/", "faq/"))}
    assert topics == set(ARTICLES)
    thin = {topic: len(nlu_examples(training_file(language))[topic]) for topic in topics
            if len(nlu_examples(training_file(language))[topic]) < 12}
    assert not thin, thin


@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_help_questions_name_real_articles_and_are_not_training_data(language):
    held_out = nlu_examples(HELD_OUT_HELP / f"{language}.yml")
    assert set(held_out) <= set(ARTICLES)
    for group in ("kindle/", "faq/"):
        assert sum(len(q) for topic, q in held_out.items() if topic.startswith(group)) >= 5
    training = {e.lower() for examples in nlu_examples(training_file(language)).values() for e in examples}
    repeated = [q for questions in held_out.values() for q in questions if q.lower() in training]
    assert not repeated, repeated


def test_answers_state_the_current_facts():
    """Kindle stopped taking MOBI by e-mail; audiobooks need a Kindle with Bluetooth; the shop has
    no public hotline, so the contact article offers a person instead."""
    assert ARTICLES["faq/contact_callback"].offers == ("human_handoff",)
    assert ARTICLES["kindle/return_ebook"].offers == ("return_item",)  # for a customer who meant the device
    assert ARTICLES["kindle/sync"].offers == ()
    for language in LANGUAGES:
        documents = ARTICLES["kindle/send_documents"].texts[language]
        text = " ".join([documents.answer, *documents.steps])
        assert "EPUB" in text, language
        audio = ARTICLES["kindle/audiobooks"].texts[language]
        assert "Bluetooth" in " ".join([audio.answer, *audio.steps]), language
