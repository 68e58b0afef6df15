from bot.fallback import consecutive_failed_turns, follows_unhelpful_article, likely_topics


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_counts_only_the_latest_run_of_low_confidence_messages():
    bot = {"event": "bot", "text": "..."}
    assert consecutive_failed_turns([]) == 0
    assert consecutive_failed_turns([user("greet"), bot, user("nlu_fallback")]) == 1
    assert consecutive_failed_turns([user("nlu_fallback"), bot, user("nlu_fallback"), bot]) == 2
    assert consecutive_failed_turns([user("nlu_fallback"), user("order_status"), user("nlu_fallback")]) == 1


def test_an_out_of_scope_answer_counts_as_a_failed_turn_too():
    bot = {"event": "bot", "text": "..."}
    assert consecutive_failed_turns([user("out_of_scope"), bot, user("nlu_fallback")]) == 2
    assert consecutive_failed_turns([user("out_of_scope"), bot, user("greet"), bot, user("nlu_fallback")]) == 1


def test_likely_topics_keep_ranking_order_and_skip_topics_without_buttons():
    names = ["nlu_fallback", "out_of_scope", "refund_status", "greet", "order_status", "return_item", "return_policy"]
    ranking = [{"name": n} for n in names]
    assert likely_topics(ranking, 3) == ["refund_status", "order_status", "return_item"]
    assert likely_topics([], 3) == []


def test_empty_messages_do_not_count_as_failed_turns():
    low = {"event": "user", "text": "hmm", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    empty = {"event": "user", "text": "   ", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    assert consecutive_failed_turns([low, {"event": "bot"}, empty]) == 1
    assert consecutive_failed_turns([empty, empty]) == 0


def test_an_unclear_message_right_after_an_unhelpful_article_is_recognised():
    feedback = {"event": "action", "name": "action_article_feedback"}
    listen = {"event": "action", "name": "action_listen"}
    greeted = {"event": "action", "name": "utter_greet"}
    assert follows_unhelpful_article([user("deny"), feedback, {"event": "bot"}, listen, user("nlu_fallback")])
    later = [user("deny"), feedback, listen, user("greet"), greeted, listen, user("nlu_fallback")]
    assert not follows_unhelpful_article(later)
    assert not follows_unhelpful_article([user("nlu_fallback")])
