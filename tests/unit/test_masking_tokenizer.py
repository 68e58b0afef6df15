"""Entity-like words become placeholders in the tokens the intent classifier sees."""

from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.masking_tokenizer import MaskingWhitespaceTokenizer


def tokens(text):
    tokenizer = MaskingWhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    return [token.text for token in tokenizer.tokenize(Message(data={TEXT: text}), TEXT)]


def test_emails_and_order_numbers_become_one_placeholder_each():
    assert tokens("Ich möchte etwas zurückschicken, Bestellung 302-3304681-7059028, E-Mail "
                  "catharina.aelftrud@example.com") == [
        "Ich", "möchte", "etwas", "zurückschicken", "Bestellung", "__order_number__", "E-Mail", "__email__"]


def test_an_order_number_written_with_spaces_masks_every_part_and_other_words_stay():
    assert tokens("paket 302 4519273 8812345 kommt nicht") == [
        "paket", "__order_number__", "__order_number__", "__order_number__", "kommt", "nicht"]
    assert tokens("kindle lädt nicht") == ["kindle", "lädt", "nicht"]
