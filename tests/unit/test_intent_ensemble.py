"""IntentEnsemble's own TF-IDF regression: trained, stored and loaded through Rasa's model storage."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_ensemble import IntentEnsemble, token_text
from bot.nlu.masking_tokenizer import MaskingWhitespaceTokenizer

EXAMPLES = {
    "order_status": ["where is my parcel", "wo ist mein paket", "my order has not arrived",
                     "order 302-4519273-8812345 still missing", "waar blijft mijn pakket"],
    "return_item": ["i want to send the jacket back", "ich möchte die jacke zurückschicken",
                    "return this item please", "retour sturen graag", "how do i return my shoes"],
    "greet": ["hello", "hallo", "hi there", "good morning", "hoi"],
}


def tokenized(text: str, **data) -> Message:
    message = Message(data={"text": text, **data})
    MaskingWhitespaceTokenizer(MaskingWhitespaceTokenizer.get_default_config()).process([message])
    return message


def trained(tmp_path, **config) -> tuple[IntentEnsemble, LocalModelStorage, Resource]:
    storage, resource = LocalModelStorage(tmp_path), Resource("intent_ensemble")
    ensemble = IntentEnsemble.create({"diet_weight": 0.25, **config}, storage, resource,
                                     ExecutionContext(GraphSchema({})))
    messages = [tokenized(text, intent=intent) for intent, texts in EXAMPLES.items() for text in texts]
    ensemble.train(TrainingData(training_examples=messages))
    return ensemble, storage, resource


def test_the_regression_reads_the_masked_tokens():
    message = tokenized("Order 302-4519273-8812345, where is it?")
    assert token_text(message) == "Order __order_number__ where is it"


def test_tfidf_regression_outvotes_a_wrong_but_unsure_diet_and_survives_loading(tmp_path):
    ensemble, storage, resource = trained(tmp_path)
    unsure_diet = [{"name": "greet", "confidence": 0.5}, {"name": "return_item", "confidence": 0.3},
                   {"name": "order_status", "confidence": 0.2}]
    message = tokenized("where is my order 303-1111111-2222222", intent_ranking=unsure_diet)
    [parsed] = ensemble.process([message])
    assert parsed.get("intent")["name"] == "order_status"
    ranking = parsed.get("intent_ranking")
    assert {item["name"] for item in ranking} == set(EXAMPLES)
    assert sum(item["confidence"] for item in ranking) == pytest.approx(1.0)

    loaded = IntentEnsemble.load({"diet_weight": 0.25}, storage, resource, ExecutionContext(GraphSchema({})))
    [again] = loaded.process([tokenized("where is my order 303-1111111-2222222", intent_ranking=unsure_diet)])
    assert again.get("intent_ranking") == ranking


def test_a_short_message_weighs_diet_by_its_own_share(tmp_path):
    ensemble, _, _ = trained(tmp_path, diet_weight=0.0, short_message_words=2, short_message_diet_weight=1.0)
    diet = [{"name": "return_item", "confidence": 1.0}]
    [short] = ensemble.process([tokenized("hallo hoi", intent_ranking=diet)])
    [longer] = ensemble.process([tokenized("hallo hoi hello", intent_ranking=diet)])
    # Two words: DIET alone decides; three: the regression alone.
    assert short.get("intent") == {"name": "return_item", "confidence": 1.0}
    assert longer.get("intent")["name"] == "greet"


def test_a_message_without_words_keeps_diets_ranking(tmp_path):
    ensemble, _, _ = trained(tmp_path)
    diet = [{"name": "greet", "confidence": 0.9}, {"name": "order_status", "confidence": 0.1}]
    message = Message(data={"text": "", "intent": diet[0], "intent_ranking": diet, "text_tokens": []})
    [parsed] = ensemble.process([message])
    assert parsed.get("intent_ranking") == diet


def test_an_unknown_feature_kind_is_refused(tmp_path):
    with pytest.raises(ValueError, match="regression_features"):
        IntentEnsemble.create({"regression_features": "embeddings"}, LocalModelStorage(tmp_path),
                              Resource("x"), ExecutionContext(GraphSchema({})))


def with_counts(message: Message, counts: list[float]) -> Message:
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import csr_matrix

    message.add_features(Features(csr_matrix(np.array([counts])), "sentence", "text", "counts"))
    return message


def test_a_model_trained_on_the_pipelines_counts_still_loads_under_the_tfidf_config(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("intent_ensemble")
    counts = {"order_status": [1.0, 0.0], "greet": [0.0, 1.0]}
    ensemble = IntentEnsemble.create({"regression_features": "pipeline", "diet_weight": 0.0}, storage, resource,
                                     ExecutionContext(GraphSchema({})))
    ensemble.train(TrainingData(training_examples=[
        with_counts(tokenized(text, intent=intent), counts[intent])
        for intent in counts for text in EXAMPLES[intent]]))
    # config.yml now says tfidf; the stored regression still reads counts.
    loaded = IntentEnsemble.load({"regression_features": "tfidf", "diet_weight": 0.0}, storage, resource,
                                 ExecutionContext(GraphSchema({})))
    [parsed] = loaded.process([with_counts(tokenized("hello"), [0.0, 1.0])])
    assert parsed.get("intent")["name"] == "greet"


def test_tfidf_regression_gives_scikit_learns_probabilities_and_reloads_unchanged(tmp_path):
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    from bot.nlu.tfidf_regression import TfidfRegression

    config = {**IntentEnsemble.get_default_config(), "C": 10.0}
    texts = [text for texts in EXAMPLES.values() for text in texts]
    labels = [intent for intent, texts in EXAMPLES.items() for _ in texts]
    model = TfidfRegression.fit(texts, labels, config)
    unseen = ["where is my jacket", "hallo", "zurückschicken bitte"]
    probabilities = model.probabilities(unseen)
    assert probabilities.shape == (3, 3) and np.allclose(probabilities.sum(axis=1), 1.0)

    vectorizers = model._vectorizers
    reference = LogisticRegression(C=10.0, max_iter=config["max_iter"], class_weight="balanced",
                                   random_state=config["random_state"])
    reference.fit(hstack([v.transform(texts) for v in vectorizers]).tocsr(), labels)
    assert model.classes == list(reference.classes_)
    assert np.allclose(probabilities, reference.predict_proba(hstack([v.transform(unseen) for v in vectorizers])))

    model.save(tmp_path)
    assert TfidfRegression.stored_in(tmp_path)
    assert np.array_equal(TfidfRegression.load(tmp_path).probabilities(unseen), probabilities)


def test_folded_features_read_a_message_without_diacritics_like_its_original(tmp_path):
    import numpy as np

    from bot.nlu.tfidf_regression import TfidfRegression

    examples = {"order_status": ["kde je má zásilka", "zásilka nedorazila", "siparişim nerede", "gdzie jest przesyłka"],
                "return_item": ["chci vrátit bundu", "iade etmek istiyorum", "chcę zwrócić buty", "vrácení zboží"],
                "greet": ["dobrý den", "merhaba", "dzień dobry", "ahoj"]}
    texts = [text for texts in examples.values() for text in texts]
    labels = [intent for intent, texts in examples.items() for _ in texts]
    typed = ["zasilka nedorazila", "siparisim nerede", "gdzie jest przesylka", "chce zwrocic buty"]
    config = IntentEnsemble.get_default_config()
    plain = TfidfRegression.fit(texts, labels, config)
    folded = TfidfRegression.fit(texts, labels, {**config, "fold_diacritics": True})
    index = folded.classes.index("order_status")
    gain = folded.probabilities(typed)[:, index] - plain.probabilities(typed)[:, index]
    assert (gain[:3] > 0).all()
    assert [folded.classes[i] for i in folded.probabilities(typed).argmax(axis=1)] == \
        ["order_status", "order_status", "order_status", "return_item"]

    folded.save(tmp_path)
    assert np.array_equal(TfidfRegression.load(tmp_path).probabilities(typed), folded.probabilities(typed))


def test_word_prefixes_cut_every_word_after_folding():
    from bot.nlu.tfidf_regression import word_prefixes

    assert word_prefixes("Siparişimi nerede, przesyłki?", 5, folded=True) == "sipar nered, przes?"
    assert word_prefixes("Zásilka JE", 3, folded=False) == "zás je"


def test_word_prefix_features_read_another_ending_of_a_known_word(tmp_path):
    import numpy as np

    from bot.nlu.tfidf_regression import TfidfRegression

    examples = {"order_status": ["siparişim nerede", "zamówienie nie dotarło", "kargom gelmedi"],
                "return_item": ["iade etmek istiyorum", "chcę zwrócić buty", "geri göndermek istiyorum"],
                "greet": ["merhaba", "dzień dobry", "selam"]}
    texts = [text for texts in examples.values() for text in texts]
    labels = [intent for intent, texts in examples.items() for _ in texts]
    unseen = ["siparişlerimizin durumu", "zamówieniem co się dzieje", "iadesini yapacağım"]
    config = {**IntentEnsemble.get_default_config(), "fold_diacritics": True}
    plain = TfidfRegression.fit(texts, labels, config)
    stems = TfidfRegression.fit(texts, labels, {**config, "word_prefix_length": 5})
    assert len(stems._vectorizers) == len(plain._vectorizers) + 1
    expected = ["order_status", "order_status", "return_item"]
    gain = [stems.probabilities([text])[0][stems.classes.index(intent)]
            - plain.probabilities([text])[0][plain.classes.index(intent)]
            for text, intent in zip(unseen, expected, strict=True)]
    assert all(g > 0 for g in gain)

    stems.save(tmp_path)
    assert np.array_equal(TfidfRegression.load(tmp_path).probabilities(unseen), stems.probabilities(unseen))
