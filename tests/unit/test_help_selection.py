"""Which article a message asks for, and when the bot answers instead of offering a choice."""

from bot.help.search import SearchHit
from bot.help.selection import (
    ArticleChoice,
    HelpDecision,
    article_button_payload,
    chosen_article,
    decide,
    out_of_scope_suggestions,
)
from bot.settings import load_settings

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


def hit(article_id, score):
    return SearchHit(article_id, score, score, score)


RULES = load_settings().help
SURE = RULES.min_article_confidence + 0.1
UNSURE = RULES.min_article_confidence - 0.1
GOOD = RULES.search.min_score + 0.05  # good enough to offer, not to answer alone
VERY_GOOD = RULES.search.answer_min_score + 0.05


def test_sure_choices_are_answered_whatever_the_search_says():
    assert decide(ArticleChoice("kindle/sync", SURE), [hit("kindle/battery", VERY_GOOD)], RULES).answer == "kindle/sync"


def test_an_unsure_choice_is_answered_when_the_search_agrees():
    decision = decide(ArticleChoice("kindle/sync", UNSURE), [hit("kindle/sync", GOOD), hit("faq/prime", GOOD)], RULES)
    assert decision.answer == "kindle/sync"


def test_the_search_answers_alone_only_when_it_is_very_sure():
    hits = [hit("kindle/battery", VERY_GOOD), hit("kindle/sync", GOOD)]
    assert decide(ArticleChoice("kindle/sync", UNSURE), hits, RULES).answer == "kindle/battery"
    assert decide(ArticleChoice(None, 0.0), hits, RULES).answer == "kindle/battery"


def test_otherwise_the_guess_and_the_good_hits_are_offered():
    hits = [hit("kindle/battery", GOOD), hit("faq/prime", GOOD), hit("kindle/wifi", GOOD),
            hit("kindle/storage", RULES.search.min_score - 0.1)]
    unsure = decide(ArticleChoice("kindle/sync", UNSURE), hits, RULES)
    assert unsure.answer is None
    assert unsure.offered == ("kindle/sync", "kindle/battery", "faq/prime")[: RULES.search.results]
    weak = [hit("kindle/storage", RULES.search.min_score - 0.1)]
    assert decide(ArticleChoice(None, 0.0), weak, RULES) == HelpDecision(None, ())
    # a weak hit does not confirm the guess either, and an unsure guess alone is not offered
    assert decide(ArticleChoice("kindle/storage", UNSURE), weak, RULES) == HelpDecision(None, ())


def test_out_of_scope_messages_get_articles_only_when_the_search_is_far_above_the_bar():
    bar = RULES.search.out_of_scope_min_score
    assert out_of_scope_suggestions([hit("kindle/wifi", bar - 0.01), hit("faq/prime", GOOD)], RULES) == []
    assert out_of_scope_suggestions([hit("kindle/wifi", bar), hit("faq/prime", GOOD),
                                     hit("kindle/sync", RULES.search.min_score - 0.1)], RULES) == \
        ["kindle/wifi", "faq/prime"][: RULES.search.results]
    assert out_of_scope_suggestions([], RULES) == []
