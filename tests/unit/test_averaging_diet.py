"""AveragingDIETClassifier: several DIETs in one pipeline leave the mean of their rankings."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.averaging_diet import AveragingDIETClassifier, averaged_ranking
from bot.nlu.masking_tokenizer import MaskingWhitespaceTokenizer

EXAMPLES = {
    "order_status": ["where is my parcel", "wo ist mein paket", "my order has not arrived",
                     "waar blijft mijn pakket", "gdzie jest moja paczka", "kargom nerede"],
    "return_item": ["i want to send the jacket back", "ich möchte die jacke zurückschicken",
                    "return this item please", "retour sturen graag", "chci vrátit boty"],
    "greet": ["hello", "hallo", "hi there", "good morning", "hoi", "merhaba"],
}
CONTEXT = ExecutionContext(GraphSchema({}))


def test_the_mean_counts_the_earlier_rankings_by_their_number():
    earlier = [{"name": "greet", "confidence": 0.6}, {"name": "order_status", "confidence": 0.4}]
    latest = [{"name": "order_status", "confidence": 0.9}, {"name": "return_item", "confidence": 0.1}]
    ranking = averaged_ranking(earlier, 2, latest)
    assert [item["name"] for item in ranking] == ["order_status", "greet", "return_item"]
    assert [item["confidence"] for item in ranking] == pytest.approx([(0.8 + 0.9) / 3, 1.2 / 3, 0.1 / 3])


@pytest.fixture(scope="module")
def featurizer(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("featurizer"))
    counts = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                           Resource("counts"), CONTEXT)
    data = TrainingData(training_examples=[Message(data={"text": text, "intent": intent})
                                           for intent, texts in EXAMPLES.items() for text in texts])
    MaskingWhitespaceTokenizer(MaskingWhitespaceTokenizer.get_default_config()).process_training_data(data)
    counts.train(data)
    counts.process_training_data(data)
    return counts, data


def featurized(featurizer, text: str) -> Message:
    counts, _ = featurizer
    message = Message(data={"text": text})
    MaskingWhitespaceTokenizer(MaskingWhitespaceTokenizer.get_default_config()).process([message])
    counts.process([message])
    return message


@pytest.fixture(scope="module")
def two_diets(featurizer, tmp_path_factory):
    _, data = featurizer
    storage = LocalModelStorage(tmp_path_factory.mktemp("diets"))
    diets = []
    for seed in (1, 2):
        config = {**AveragingDIETClassifier.get_default_config(), "epochs": 3, "random_seed": seed,
                  "ranking_length": 0, "entity_recognition": False, "number_of_transformer_layers": 0,
                  "constrain_similarities": True}
        diet = AveragingDIETClassifier.create(config, storage, Resource(f"diet{seed}"), CONTEXT)
        diet.train(data)
        diets.append(diet)
    return diets


def test_two_diets_leave_the_mean_of_their_own_rankings(featurizer, two_diets):
    first, second = two_diets
    text = "wo ist mein paket"
    [alone_first] = first.process([featurized(featurizer, text)])
    [alone_second] = second.process([featurized(featurizer, text)])
    own = {diet: {item["name"]: item["confidence"] for item in message.get("intent_ranking")}
           for diet, message in (("first", alone_first), ("second", alone_second))}
    assert own["first"] != own["second"]  # different seeds, different opinions

    [both] = second.process(first.process([featurized(featurizer, text)]))
    ranking = both.get("intent_ranking")
    expected = {name: (own["first"][name] + own["second"][name]) / 2 for name in EXAMPLES}
    assert {item["name"]: item["confidence"] for item in ranking} == pytest.approx(expected)
    assert both.get("intent") == ranking[0]
    assert sum(item["confidence"] for item in ranking) == pytest.approx(1.0)
    assert "averaged_diet_count" not in both.as_dict(only_output_properties=True)


def test_a_single_diet_is_a_plain_diet(featurizer, two_diets):
    first, _ = two_diets
    [message] = first.process([featurized(featurizer, "hallo")])
    assert message.get("intent")["name"] == "greet"
    assert message.get("averaged_diet_count") == 1
