"""Reading the help search's query string (the route itself: tests/test_help_end_to_end.py)."""

from bot.channels.help import parse_query
from bot.settings import load_settings

SETTINGS = load_settings()


def test_a_complete_query_is_read_with_defaults():
    assert parse_query({"q": [" kindle wifi "]}, SETTINGS) == ("kindle wifi", "de", SETTINGS.help.search.results)
    assert parse_query({"q": ["x"], "lang": ["PL"], "limit": ["5"]}, SETTINGS) == ("x", "pl", 5)


def test_every_bad_parameter_gets_its_own_message():
    assert "q" in parse_query({}, SETTINGS)
    assert "lang" in parse_query({"q": ["x"], "lang": ["fr"]}, SETTINGS)
    assert "limit" in parse_query({"q": ["x"], "limit": ["0"]}, SETTINGS)
    assert "limit" in parse_query({"q": ["x"], "limit": ["11"]}, SETTINGS)
    assert "longer" in parse_query({"q": ["x" * (SETTINGS.limits.max_message_chars + 1)]}, SETTINGS)
