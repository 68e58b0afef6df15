import pytest
import yaml

from bot.returns.reasons import PATTERNS_FILE, reason_from_text
from bot.settings import load_settings
from tests.helpers import LANGUAGES

REASONS = load_settings().returns.reasons


@pytest.mark.parametrize(("text", "language", "reason"), [
    ("Die Hose ist mir zu klein", "de", "doesnt_fit"),
    ("kam kaputt an, display hat einen Riss", "de", "defective"),
    ("brauch ich doch nicht mehr", "de", "no_longer_needed"),
    ("die Lieferung hat viel zu lange gedauert", "de", "arrived_late"),  # not "zu lang" (doesn't fit)
    ("it doesn’t fit", "en", "doesnt_fit"),
    ("you sent me the wrong colour", "en", "wrong_item"),
    ("took too long to arrive", "en", "arrived_late"),
    ("de kwaliteit valt tegen, ziet er anders uit dan op de foto", "nl", "not_as_described"),
    ("nie potrzebuję już", "pl", "no_longer_needed"),
    ("ekranı kırık geldi", "tr", "defective"),
    ("nesedí mi to", "cs", "doesnt_fit"),
])
def test_typed_reasons_are_read_in_every_language(text, language, reason):
    assert reason_from_text(text, language, REASONS) == reason


@pytest.mark.parametrize("text", ["stop", "wo ist meine Bestellung?", "hallo", "nein", "302-1234567-1234567"])
def test_messages_without_a_reason_give_none(text):
    assert reason_from_text(text, "de", REASONS) is None


def test_every_configured_reason_has_patterns_in_every_language():
    patterns = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    assert set(patterns) == set(REASONS)
    for reason in REASONS:
        assert sorted(patterns[reason]) == sorted(LANGUAGES), reason


@pytest.mark.parametrize(("text", "language"), [
    ("I don't want to return it anymore", "en"),  # calls the return off: the stop rules end the form
    ("ich will es doch nicht zurückschicken", "de"),
    ("ik wil het niet meer terugsturen", "nl"),
    ("już nie chcę tego zwracać", "pl"),
    ("iade etmek istemiyorum", "tr"),
    ("už to nechci vracet", "cs"),
    ("is it too late to return?", "en"),  # a question, not an answer
    ("yardıma ihtiyacım var", "tr"),  # "I need help", not "no need"
    ("zavolejte mi později", "cs"),  # "later", not "late"
])
def test_cancelling_questions_and_look_alikes_give_no_reason(text, language):
    assert reason_from_text(text, language, REASONS) is None


@pytest.mark.parametrize(("text", "language"), [
    ("Größe passt, aber es ist kaputt", "de"),
    ("de maat klopt wel, maar hij is kapot", "nl"),
    ("rozmiar jest dobry, ale jest zepsuty", "pl"),
])
def test_a_size_that_fits_does_not_outweigh_the_real_reason(text, language):
    assert reason_from_text(text, language, REASONS) == "defective"
