"""The custom NLU components on single messages (the trained pipeline is tested elsewhere)."""

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LANGUAGE_DETECTION
from bot.nlu.lemma_tokenizer import LemmaTokenizer, load_lemma_table
from bot.nlu.pattern_entities import PatternEntityExtractor


def tokens(text: str, language: str) -> list[tuple[str, str]]:
    tokenizer = LemmaTokenizer(LemmaTokenizer.get_default_config())
    message = Message(data={"text": text, LANGUAGE_DETECTION: {"language": language}})
    return [(token.text, token.lemma) for token in tokenizer.tokenize(message, "text")]


def test_german_words_get_their_lemmas_and_punctuation_is_dropped():
    assert tokens("Pakete kamen nicht an!", "de") == [
        ("Pakete", "paket"), ("kamen", "kommen"), ("nicht", "nicht"), ("an", "an")
    ]


def test_polish_uses_the_merged_part_of_speech_tables():
    table = load_lemma_table("pl")
    assert table, "spacy-lookups-data should ship Polish lemma tables"
    assert dict(tokens("zamówiłem paczki", "pl"))["paczki"] == "paczka"


def test_unknown_language_uses_the_default_and_empty_text_keeps_one_token():
    assert tokens("Hallo", "xx") == [("Hallo", "hallo")]
    assert tokens("?!", "de") == [("?!", "?!")]


def test_pattern_entities_are_added_with_normalised_values():
    message = Message(data={"text": "Bestellung 302 4519273 8812345, mail: Jan@Example.de"})
    [processed] = PatternEntityExtractor().process([message])
    found = [(e["entity"], e["value"], e["extractor"]) for e in processed.get("entities")]
    assert found == [
        ("order_number", "302-4519273-8812345", "PatternEntityExtractor"),
        ("email", "jan@example.de", "PatternEntityExtractor"),
    ]
