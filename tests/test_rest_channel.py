"""The guarded REST channel through the real server: bad requests get 400/413, huge ones hold up nobody."""

import json

from bot.settings import load_settings
from tests.http_client import Customer, expected, get, post, texts_in

LIMITS = load_settings().limits


def webhook(servers, body: bytes) -> tuple[int, str]:
    return post(f"{servers.url}/webhooks/rest/webhook", body)


def test_a_message_without_a_sender_is_refused_not_put_into_a_shared_conversation(bot_servers):
    for body in ({"message": "Wo ist mein Paket?"}, {"sender": "", "message": "hallo"},
                 {"sender": 42, "message": "hallo"}, {"sender": "x" * 300, "message": "hallo"}):
        status, answer = webhook(bot_servers, json.dumps(body).encode())
        assert status == 400, (body, answer)
        assert "Traceback" not in answer and "sender" in answer


def test_a_text_that_is_not_a_string_or_a_body_that_is_not_an_object_is_refused(bot_servers):
    for body in ({"sender": "s-1", "message": 12345}, {"sender": "s-1", "message": ["a"]}, ["hallo"]):
        status, answer = webhook(bot_servers, json.dumps(body).encode())
        assert status == 400, (body, answer)
        assert "Traceback" not in answer


def test_a_number_as_text_gets_an_answer(bot_servers):
    customer = Customer(bot_servers, language_hint="de")
    answer = customer.texts("12345")
    assert answer and all(line in texts_in("de") for line in answer), answer


def test_a_huge_body_is_refused_at_once_and_others_are_still_answered(bot_servers):
    huge = json.dumps({"sender": "big", "message": "Wo ist mein Paket? " * 110_000}).encode()  # about 2 MB
    assert len(huge) > LIMITS.max_request_bytes
    status, _ = webhook(bot_servers, huge)
    assert status == 413
    assert Customer(bot_servers, language_hint="en").texts("hello") == [expected("utter_greet", "en")]


def test_a_long_message_under_the_body_limit_is_cut_and_answered(bot_servers):
    text = "Kde je moje zasilka? " * ((LIMITS.max_request_bytes - 1000) // 21)
    assert len(text) > LIMITS.max_message_chars
    customer = Customer(bot_servers, language_hint="cs")
    answer = customer.texts(text)
    assert answer and all(line in texts_in("cs") for line in answer), answer
    status, body = get(f"{bot_servers.url}/conversations/{customer.sender}/tracker?token={bot_servers.api_token}")
    stored = [event["text"] for event in json.loads(body)["events"] if event["event"] == "user"]
    assert status == 200 and stored == [text[: LIMITS.max_message_chars]]
