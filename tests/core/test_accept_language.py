import pytest

from core.languages import from_accept_language


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-BE,fr;q=0.9,en;q=0.5", "fr"),
    ("pt-BR,pt;q=0.9,de;q=0.8,en;q=0.7", "de"),  # the first we write, by weight
    ("en;q=0.3,nl;q=0.8", "nl"),  # weights, not order
    ("NL_nl", "nl"),
    ("it;q=0,es", "es"),  # q=0 means "not this one"
    ("pt-BR,ja", None),
    ("fr;q=abc,de", "de"),  # a malformed weight drops that entry only
    ("", None),
    (None, None),
])
def test_the_browsers_language_is_the_best_weighted_one_we_write(header, expected):
    assert from_accept_language(header) == expected
