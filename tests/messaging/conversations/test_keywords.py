"""Every keyword in every language is understood; nothing else is taken for an order number."""

import pytest

from messaging.conversations.keywords import HELP, NO, START, STOP, TRACK, UNKNOWN, YES, Intent, classify

# (language, what the shopper typed, what it means)
KEYWORDS = [
    ("en", "STOP", STOP), ("en", "Unsubscribe", STOP), ("en", "START", START), ("en", "TRACK", TRACK),
    ("en", "HELP", HELP), ("en", "Yes", YES), ("en", "no", NO),
    ("fr", "ARRÊT", STOP), ("fr", "arrêter", STOP), ("fr", "START", START), ("fr", "SUIVI", TRACK),
    ("fr", "AIDE", HELP), ("fr", "OUI", YES), ("fr", "NON", NO),
    ("de", "STOPP", STOP), ("de", "Abmelden", STOP), ("de", "ANMELDEN", START), ("de", "SENDUNG", TRACK),
    ("de", "HILFE", HELP), ("de", "JA", YES), ("de", "NEIN", NO),
    ("nl", "STOP", STOP), ("nl", "afmelden", STOP), ("nl", "AANMELDEN", START), ("nl", "VOLG", TRACK),
    ("nl", "HULP", HELP), ("nl", "JA", YES), ("nl", "NEE", NO),
    ("es", "ALTO", STOP), ("es", "BAJA", STOP), ("es", "ALTA", START), ("es", "SEGUIMIENTO", TRACK),
    ("es", "AYUDA", HELP), ("es", "SÍ", YES), ("es", "NO", NO),
    ("it", "BASTA", STOP), ("it", "ANNULLA", STOP), ("it", "AVVIA", START), ("it", "SEGUI", TRACK),
    ("it", "AIUTO", HELP), ("it", "SÌ", YES), ("it", "NO", NO),
]


@pytest.mark.parametrize("language, text, kind", KEYWORDS, ids=[f"{lang}-{text}" for lang, text, _ in KEYWORDS])
def test_each_keyword_of_each_language_is_understood(language, text, kind):
    assert classify(text).kind == kind


@pytest.mark.parametrize("text", ["stop", " Stop! ", "Stop.", "sì", "Oui !", "nee."])
def test_case_accents_and_punctuation_do_not_matter(text):
    assert classify(text).kind != UNKNOWN


@pytest.mark.parametrize("text, order", [("TRACK 10428", "10428"), ("volg #10428", "10428"), ("SUIVI A-1042", "A-1042"),
                                          ("SENDUNG BBULK-1", "BBULK-1"), ("10428", "10428"), ("#10428", "10428")])
def test_track_takes_an_order_number_after_the_keyword_or_alone(text, order):
    assert classify(text) == Intent(TRACK, order)


def test_a_track_word_with_a_question_asks_about_the_latest_parcel():
    assert classify("Wo ist mein Paket?") == Intent(TRACK, "")


@pytest.mark.parametrize("text", ["RETURN", "CHANGE ADDRESS", "HALLO", "thanks!", "", "🙂"])
def test_words_that_are_not_keywords_are_unknown_never_an_order_number(text):
    assert classify(text) == Intent(UNKNOWN)
