"""The custom NLU components on single messages (the trained pipeline is tested elsewhere)."""

from rasa.shared.nlu.training_data.message import Message

from bot import PROJECT_ROOT
from bot.evaluation import configured_ensemble
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


def test_augmenter_adds_seeded_variants_and_leaves_entity_examples_alone():
    import random

    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.augmentation import TrainingAugmenter, casual, variants, without_diacritics

    assert without_diacritics("Kdy přijde zásilka? Siparişim, Łódź") == "Kdy prijde zasilka? Siparisim, Lodz"
    assert casual("Wo ist mein Paket?!") == "wo ist mein paket"
    first = variants("Wann kommt mein Päckchen?", random.Random(1), copies=3)
    assert first == variants("Wann kommt mein Päckchen?", random.Random(1), copies=3)
    assert len(first) == 3 and "Wann kommt mein Päckchen?" not in first

    examples = [
        Message(data={"text": "Gdzie jest moja przesyłka?", "intent": "order_status"}),
        Message(data={"text": "Çalışma saatleriniz nedir?", "intent": "faq",
                      "intent_response_key": "faq/service_hours"}),
        Message(data={"text": "order 302-4519273-8812345", "intent": "inform",
                      "entities": [{"start": 6, "end": 25, "value": "302-4519273-8812345",
                                    "entity": "order_number"}]}),
    ]
    augmenter = TrainingAugmenter({"copies_per_example": 2, "random_seed": 7})
    augmented = augmenter.process_training_data(TrainingData(training_examples=examples))
    added = augmented.training_examples[len(examples):]
    assert len(added) == 4
    assert {m.get("intent") for m in added} == {"order_status", "faq"}
    assert all(m.get("intent_response_key") == "faq/service_hours" for m in added if m.get("intent") == "faq")


def test_ensemble_ranking_is_the_weighted_mean_of_both_classifiers():
    import numpy as np

    from bot.nlu.intent_ensemble import combined_ranking

    diet = [{"name": "return_item", "confidence": 0.99}, {"name": "order_status", "confidence": 0.01}]
    ranking = combined_ranking(diet, ["order_status", "out_of_scope", "return_item"],
                               np.array([0.7, 0.2, 0.1]), diet_weight=0.5)
    assert [item["name"] for item in ranking] == ["return_item", "order_status", "out_of_scope"]
    assert ranking[0]["confidence"] == 0.545
    assert round(ranking[1]["confidence"], 3) == 0.355
    assert round(sum(item["confidence"] for item in ranking), 6) == 1.0


def test_nlu_candidates_change_the_configured_pipeline_in_one_way(tmp_path):
    import yaml

    from bot.nlu_candidates import candidate_nlu_config

    def classifiers(name):
        steps = yaml.safe_load(candidate_nlu_config(name, tmp_path).read_text(encoding="utf-8"))["pipeline"]
        return [(step["name"], step.get("ranking_length")) for step in steps
                if step["name"] in ("DIETClassifier", "bot.nlu.intent_ensemble.IntentEnsemble",
                                    "LogisticRegressionClassifier")]

    ensemble = [("DIETClassifier", 0), ("bot.nlu.intent_ensemble.IntentEnsemble", None)]
    assert classifiers("ensemble") == ensemble
    assert classifiers("diet") == [("DIETClassifier", None)]
    assert classifiers("logreg") == [("LogisticRegressionClassifier", None)]
    assert classifiers("augmented_ensemble") == ensemble
    counts = yaml.safe_load(candidate_nlu_config("ensemble_counts", tmp_path).read_text(encoding="utf-8"))["pipeline"]
    [regression] = [step for step in counts if step["name"] == "bot.nlu.intent_ensemble.IntentEnsemble"]
    configured = configured_ensemble(PROJECT_ROOT / "config.yml")["diet_weight"]
    assert (regression["regression_features"], regression["diet_weight"]) == ("pipeline", configured)

    def steps(name, step_name):
        pipeline = yaml.safe_load(candidate_nlu_config(name, tmp_path).read_text(encoding="utf-8"))["pipeline"]
        return [step for step in pipeline if step["name"] == step_name]

    assert [s.get("fold_diacritics") for s in steps("bot", "bot.nlu.intent_ensemble.IntentEnsemble")] == [True]
    assert [s.get("fold_diacritics") for s in steps("unfolded", "bot.nlu.intent_ensemble.IntentEnsemble")] == [False]
    assert [s.get("word_prefix_length") for s in steps("bot", "bot.nlu.intent_ensemble.IntentEnsemble")] == [5]
    assert [(s.get("word_prefix_length"), s.get("diet_weight"))
            for s in steps("no_prefixes", "bot.nlu.intent_ensemble.IntentEnsemble")] == [(0, 0.25)]
    assert [s.get("strip_accents") for s in steps("diet_folded", "CountVectorsFeaturizer")] == ["unicode", "unicode"]
