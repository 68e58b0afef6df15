"""NLU component: Rasa's whitespace tokens, with order numbers, e-mails, phone numbers and
postcodes replaced by one placeholder word each (`__email__`, `__order_number__`, ...).

The intent should follow the words around an e-mail address, not the address: with raw tokens,
the character n-grams of a long, foreign-looking address outvoted "zurückschicken" and made a
return request an `inform`. Entities are still read from the original text
(bot/nlu/pattern_entities.py); only the features see the placeholders.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.patterns import find_entities


def placeholder(entity: str) -> str:
    return f"__{entity}__"


def mask_tokens(tokens: list[Token], text: str) -> list[Token]:
    """Tokens inside a found entity become its placeholder (text and lemma); the rest stay."""
    spans = [(found.start, found.end, placeholder(found.entity)) for found in find_entities(text)]
    for token in tokens:
        for start, end, word in spans:
            if token.start >= start and token.end <= end:
                token.text = word
                token.lemma = word
                break
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MaskingWhitespaceTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute != TEXT:
            return tokens
        return mask_tokens(tokens, message.get(TEXT) or "")
