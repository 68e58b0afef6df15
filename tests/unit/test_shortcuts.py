"""Typed ratings and repeated messages (bot/handoff/shortcuts.py)."""

from __future__ import annotations

import pytest

from bot.handoff.shortcuts import RepetitionMemory, asks_for_rating, comparable, rating_payload, typed_rating


@pytest.mark.parametrize(("text", "score"), [
    ("5", 5), (" 4 ", 4), ("3 stars", 3), ("2 Sterne", 2), ("4/5", 4), ("4 / 5", 4), ("4 von 5", 4),
    ("5!", 5), ("★★★", 3), ("1 ★", 1), ("5 yıldız", 5), ("3 hvězdičky", 3), ("4 sterren", 4), ("5 gwiazdek", 5),
    ("4 z 5", 4), ("4 uit 5", 4), ("4 of 5", 4),
])
def test_typed_ratings(text, score):
    assert typed_rating(text) == score


@pytest.mark.parametrize("text", ["0", "6", "10", "302-1234567-1234567", "5 Tage zu spät geliefert",
                                  "wo ist mein Paket", "", "★★★★★★", "2 Artikel", "1 Frage", "3 items"])
def test_other_messages_are_not_ratings(text):
    assert typed_rating(text) is None


def test_the_rating_question_is_known_by_its_buttons():
    assert asks_for_rating([{"title": "5 ★", "payload": rating_payload(5)}])
    assert not asks_for_rating([{"title": "Ja", "payload": "/affirm"}])
    assert not asks_for_rating(None)


def test_comparable_ignores_case_accents_and_punctuation():
    assert comparable("SİPARİŞİM NEREDE!") == comparable("siparisim nerede??") == "siparisim nerede"
    assert comparable("Kde je moje zásilka?") == comparable("kde je moje zasilka")


def test_three_identical_messages_in_a_row_are_a_repetition():
    memory = RepetitionMemory(repeats=3)
    assert [memory.repeated("c", text) for text in ["Wo ist mein Paket?", "wo ist mein paket", "WO IST MEIN PAKET!!"]] \
        == [False, False, True]
    assert not memory.repeated("c", "wo ist mein paket")  # counting starts again after a handoff


def test_another_message_or_a_button_in_between_resets_the_count():
    memory = RepetitionMemory(repeats=3)
    for text in ["ich brauche hilfe", "ich brauche hilfe", "/affirm", "ich brauche hilfe", "ich brauche hilfe"]:
        assert not memory.repeated("c", text)
    assert not memory.repeated("d", "ich brauche hilfe")  # another conversation counts on its own
    assert memory.repeated("c", "ich brauche hilfe")


def test_short_answers_are_no_repetition():
    memory = RepetitionMemory(repeats=3)
    assert not any(memory.repeated("c", "ja") for _ in range(5))
    assert not any(memory.repeated("c", "yes please") for _ in range(5))


def test_memory_is_bounded():
    memory = RepetitionMemory(repeats=2, conversations=2)
    message = "wo ist mein paket"
    memory.repeated("a", message)
    memory.repeated("b", message)
    memory.repeated("c", message)
    assert not memory.repeated("a", message)  # "a" was forgotten
