import pytest

from bot.returns.item_choice import ALL_ITEMS, chosen_item

ITEMS = [("462", "Kindle Paperwhite (16 GB), black"), ("463", "Women's quilted winter jacket, navy, size M"),
         ("464", "Sterling silver necklace with heart pendant")]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("alle zurück bitte", "de", ALL_ITEMS),
    ("all of them", "en", ALL_ITEMS),
    ("allebei", "nl", ALL_ITEMS),
    ("wszystkie", "pl", ALL_ITEMS),
    ("hepsini iade etmek istiyorum", "tr", ALL_ITEMS),
    ("všechny", "cs", ALL_ITEMS),
    ("the jacket", "en", "463"),
    ("den Kindle", "de", "462"),
    ("the necklace and the jacket", "en", None),  # two items: the buttons decide
    ("alles klar", "de", None),  # an ok, not "all of them"
    ("wszystko w porządku", "pl", None),
    ("hmm", "en", None),
    ("nein, nicht alle", "de", None),  # a negation chooses nothing
    ("niet allemaal", "nl", None),
    ("hepsi değil", "tr", None),
    ("všechno v pořádku", "cs", None),  # an ok
    ("that's all", "en", None),
    ("not all of them, just the jacket", "en", "463"),
    ("the jacket with the broken zip", "en", "463"),  # "with" names nothing
    ("forget it, I'll keep the jacket", "en", None),  # calls the return off
])
def test_typed_item_choices(text, language, expected):
    assert chosen_item(text, language, ITEMS) == expected
