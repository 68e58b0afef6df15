"""Custom actions with an in-memory tracker (the real path is in tests/test_end_to_end.py)."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionSessionStart
from actions.fallback import ActionLowConfidence
from actions.handoff import ActionHandoff
from bot.handoff.queue import HandoffUnavailable
from bot.responses import response_text
from tests.helpers import domain


def tracker(text="", slots=None, metadata=None, detection=None, intent="greet", events=None, ranking=None):
    latest = {"text": text, "intent": {"name": intent}, "metadata": metadata or {},
              "intent_ranking": ranking or []}
    if detection:
        latest["language_detection"] = detection
    return Tracker("c-1", slots or {}, latest, events or [], False, None, {}, "action_listen")


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, domain()))
    return dispatcher.messages, events


def slot(events, name):
    return next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name), "unset")


def test_session_starts_in_the_channel_hint_with_configured_values():
    _, events = run(ActionSessionStart(), tracker(slots={"session_started_metadata": {"language": "cs-CZ"}}))
    assert slot(events, "language") == "cs"
    assert slot(events, "return_window_days") == "30"
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"


def test_session_keeps_the_language_of_the_previous_session():
    previous = {"language": "tr", "session_started_metadata": {"language": "de"}}
    _, events = run(ActionSessionStart(), tracker(slots=previous))
    assert slot(events, "language") == "tr"


def test_amounts_follow_the_language():
    _, english = run(ActionSessionStart(), tracker(slots={"session_started_metadata": {"language": "en"}}))
    _, german = run(ActionSessionStart(), tracker(slots={"session_started_metadata": {"language": "de"}}))
    assert slot(english, "standard_shipping_fee") == "3.99"
    assert slot(german, "standard_shipping_fee") == "3,99"


def test_first_low_confidence_turn_offers_topics_and_a_person():
    ranking = [{"name": "nlu_fallback"}, {"name": "refund_status"}, {"name": "greet"}, {"name": "order_status"}]
    events = [{"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    messages, returned = run(ActionLowConfidence(), tracker("hmm", {"language": "de"}, intent="nlu_fallback",
                                                            events=events, ranking=ranking))
    assert returned == []
    [message] = messages
    assert message["response"] == "utter_ask_rephrase"
    assert [b["payload"] for b in message["buttons"]] == ["/refund_status", "/order_status", "/human_handoff"]
    assert message["buttons"][0]["title"] != "refund_status"  # a German label, not the intent name


def test_second_low_confidence_turn_in_a_row_offers_a_person_a_call_back_or_going_on():
    low = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    messages, returned = run(ActionLowConfidence(), tracker("hmm", {"language": "de"}, intent="nlu_fallback",
                                                            events=[low, {"event": "bot"}, low]))
    assert [m["text"] for m in messages] == [response_text(domain(), "utter_unclear_offer_agent", "de")]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/human_handoff", "/request_callback", "/deny"]
    assert returned == [SlotSet("handoff_offered", True), SlotSet("handoff_reason", "failed_turns")]


def test_a_blank_message_is_no_second_failed_turn():
    low = {"event": "user", "text": "hmm", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    messages, returned = run(ActionLowConfidence(), tracker(" ", {"language": "de"}, intent="nlu_fallback",
                                                            events=[low, {"event": "bot"}, low]))
    assert [m.get("response") for m in messages] == ["utter_ask_rephrase"] and returned == []


def test_handoff_tells_the_customer_when_the_database_is_down(monkeypatch):
    def broken(**kwargs):
        raise HandoffUnavailable("database is down")

    monkeypatch.setattr("actions.handoff.open_handoff", broken)
    messages, events = run(ActionHandoff(), tracker("agent", {"language": "pl"}))
    assert [m["response"] for m in messages] == ["utter_handoff_failed"]
    assert events == [SlotSet("handoff_reason", None), SlotSet("handoff_offered", False)]


def extract(method_name, text, slots):
    from actions.orders import ValidateOrderLookupForm

    dispatcher = CollectingDispatcher()
    method = getattr(ValidateOrderLookupForm(), method_name)
    result = asyncio.run(method(dispatcher, tracker(text, slots, intent="inform"), domain()))
    return [m["response"] for m in dispatcher.messages], result


def test_a_malformed_order_number_gets_the_format_hint_and_other_text_does_not():
    asked = {"requested_slot": "order_number", "language": "de"}
    assert extract("extract_order_number", "302-45192", asked) == (["utter_order_number_format"],
                                                                   {"order_number": None})
    assert extract("extract_order_number", "passt schon", asked) == ([], {})
    assert extract("extract_order_number", "302-45192", {**asked, "requested_slot": "order_verifier"}) == ([], {})


def test_no_order_number_at_hand_keeps_the_form_and_the_question_becomes_where_to_find_it():
    from actions.orders import ActionAskOrderNumber

    asked = {"requested_slot": "order_number", "language": "de"}
    assert extract("extract_order_number", "weiß ich nicht", asked) == ([], {"order_number": None})
    messages, events = run(ActionAskOrderNumber(), tracker("weiß ich nicht", asked))
    assert [m["response"] for m in messages] == ["utter_order_number_missing"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/human_handoff"] and events == []
    # Not asked yet: a bare "weiß ich nicht" is no answer to anything, the usual question comes.
    messages, _ = run(ActionAskOrderNumber(), tracker("weiß ich nicht", {"language": "de"}))
    assert [m["response"] for m in messages] == ["utter_ask_order_number"]


def test_proof_that_is_neither_email_nor_postcode_gets_the_format_hint():
    asked = {"requested_slot": "order_verifier", "language": "pl", "order_number": "302-4519273-8812345"}
    assert extract("extract_order_verifier", "anna@", asked) == (["utter_verifier_format"], {"order_verifier": None})
    assert extract("extract_order_verifier", "00-514", asked) == ([], {})
    assert extract("extract_order_verifier", "anna@example.com", asked) == ([], {})


def test_a_database_error_during_the_lookup_apologises_and_offers_a_person(monkeypatch):
    from actions.orders import ActionAnswerOrderRequest
    from bot.orders.lookup import OrderStoreUnavailable

    def down(**kwargs):
        raise OrderStoreUnavailable("database is down")

    monkeypatch.setattr("actions.orders.find_verified_order", down)
    slots = {"language": "cs", "order_number": "302-4519273-8812345", "order_verifier": "10115"}
    messages, events = run(ActionAnswerOrderRequest(), tracker("10115", slots, intent="inform"))
    [message] = messages
    assert message["text"] == response_text(domain(), "utter_lookup_unavailable", "cs")
    assert [b["payload"] for b in message["buttons"]] == ["/human_handoff", "/deny"]
    assert SlotSet("handoff_offered", True) in events and SlotSet("handoff_reason", "flow_failure") in events


def test_an_unclear_message_after_an_unhelpful_article_goes_to_a_person():
    no = {"event": "user", "parse_data": {"intent": {"name": "deny"}}}
    feedback = {"event": "action", "name": "action_article_feedback"}
    unclear = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    slots = {"language": "nl", "handoff_reason": "article_not_helpful"}
    _, returned = run(ActionLowConfidence(), tracker("hmm nee", slots, intent="nlu_fallback",
                                                     events=[no, feedback, unclear]))
    assert returned == [FollowupAction("action_handoff")]


def test_an_offered_person_not_taken_up_is_withdrawn_by_the_next_answer():
    from actions.fallback import ActionOutOfScope

    offered = tracker("wie wird das wetter", slots={"language": "de", "handoff_offered": True,
                                                    "handoff_reason": "failed_turns"}, intent="out_of_scope")
    messages, events = run(ActionOutOfScope(), offered)
    assert messages[0]["response"] == "utter_out_of_scope"  # one failed turn in the events: no new offer
    assert (slot(events, "handoff_offered"), slot(events, "handoff_reason")) == (False, None)
    _, events = run(ActionOutOfScope(), tracker("wie wird das wetter", slots={"language": "de"}, intent="out_of_scope"))
    assert events == []


def test_a_one_word_reply_is_tried_as_an_answer_even_when_read_as_a_farewell():
    from actions.returns import _may_be_an_answer

    assert _may_be_an_answer(tracker("wszystkie", intent="goodbye"), "wszystkie")
    assert not _may_be_an_answer(tracker("to wszystko, dziękuję", intent="goodbye"), "to wszystko, dziękuję")
    assert not _may_be_an_answer(tracker("agent", intent="human_handoff"), "agent")
    assert not _may_be_an_answer(tracker("/goodbye", intent="goodbye"), "/goodbye")
