"""Which article a message asks for, and when the bot answers instead of offering a choice."""

from bot.help.selection import ArticleChoice, article_button_payload, chosen_article, decide

KNOWN = {"kindle/sync", "kindle/battery", "faq/prime"}


def parse(intent, ranking, entities=()):
    return {"intent": {"name": intent}, "entities": list(entities),
            "response_selector": {"default": {"ranking": ranking}}}


def test_the_selectors_best_article_of_the_predicted_group_is_chosen():
    ranking = [{"intent_response_key": "faq/prime", "confidence": 0.6},
               {"intent_response_key": "kindle/sync", "confidence": 0.3}]
    assert chosen_article(parse("kindle", ranking), KNOWN) == ArticleChoice("kindle/sync", 0.3)
    assert chosen_article(parse("faq", ranking), KNOWN) == ArticleChoice("faq/prime", 0.6)


def test_a_clicked_article_button_wins_and_unknown_ids_are_ignored():
    clicked = parse("kindle", [], [{"entity": "article", "value": "kindle/battery"}])
    assert chosen_article(clicked, KNOWN) == ArticleChoice("kindle/battery", 1.0)
    forged = parse("kindle", [], [{"entity": "article", "value": "kindle/../../etc"}])
    assert chosen_article(forged, KNOWN) == ArticleChoice(None, 0.0)


def test_button_payloads_name_the_group_intent_and_the_article():
    assert article_button_payload("faq/prime") == '/faq{"article":"faq/prime"}'


def test_sure_choices_are_answered_and_unsure_ones_offered_with_the_search():
    assert decide(ArticleChoice("kindle/sync", 0.9), 0.5, ["kindle/battery"], 3).answer == "kindle/sync"
    unsure = decide(ArticleChoice("kindle/sync", 0.4), 0.5, ["kindle/battery", "faq/prime", "kindle/wifi"], 3)
    assert unsure.answer is None
    assert unsure.offered == ("kindle/sync", "kindle/battery", "faq/prime")
    assert decide(ArticleChoice(None, 0.0), 0.5, [], 3).offered == ()
