"""Optional parts `[[ ... ]]` of merchant text: left out whole when a tag inside is empty."""

import pytest

from messaging.tags import KNOWN_TAGS, render, render_html

ALL_VALUES = {tag: f"v-{tag}" for tag in KNOWN_TAGS}


# --- optional parts: rendering ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hi[[ <<customer_name>>]], hello", "Hi, hello"),
        ("Hi [[<<customer_name>>]], hello", "Hi, hello"),
        ("On its way.[[ Expected delivery: <<eta>>.]] Track it", "On its way. Track it"),
        ("On its way [[with <<carrier>>]] today", "On its way today"),
        ("[[<<customer_name>>, ]]your parcel", "your parcel"),
        ("Shipped[[ with <<carrier>>]]", "Shipped"),
        ("Hi,\n\n[[Pick it up at:\n<<pickup_point>>]]\n\nBye", "Hi,\n\nBye"),
        ("Votre commande[[ <<order_number>>]] ?", "Votre commande ?"),
        ("Your order [[<<order_number>>]]?", "Your order?"),
        ("a [[<<eta>>]] [[<<carrier>>]] b", "a b"),
    ],
)
def test_an_optional_part_with_an_empty_tag_is_left_out_with_the_space_around_it(text, expected):
    assert render(text, {"customer_name": "", "eta": None, "carrier": "  "}) == expected


def test_an_optional_part_with_its_tags_filled_is_shown_without_its_brackets():
    text = "Hi[[ <<customer_name>>]],[[ expected <<eta>> with <<carrier>>]]."

    output = render(text, {"customer_name": "Ana", "eta": "Monday", "carrier": "DHL"})

    assert output == "Hi Ana, expected Monday with DHL."


def test_an_optional_part_goes_when_any_of_its_tags_is_empty():
    assert render("Sent.[[ Expected <<eta>> with <<carrier>>.]]", {"eta": "Monday"}) == "Sent."


def test_brackets_in_a_value_are_never_read_as_an_optional_part():
    assert render("Hi <<customer_name>>, <<eta>>", {"customer_name": "[[x <<eta>>]]"}) == "Hi [[x <<eta>>]], "


def test_brackets_without_a_known_tag_inside_stay_as_written():
    # Saved texts are validated; these only come from texts written before the syntax existed.
    assert render("[[Sale]] [[<<etaa>>]] ]] [[", {}) == "[[Sale]] [[<<etaa>>]] ]] [["


def test_html_leaves_out_an_empty_optional_paragraph_and_still_escapes_values():
    html = render_html("Hi[[ <<customer_name>>]],\n\n[[At:\n<<pickup_point>>]]\n\nBye", {"customer_name": "<b>"})

    assert html == "<p>Hi &lt;b&gt;,</p>\n<p>Bye</p>"


def test_html_does_not_link_urls_inside_values_of_an_optional_part():
    html = render_html("[[Hi <<customer_name>>]] https://t.example/a", {"customer_name": "https://phish.example"})

    assert html.count("<a ") == 1 and '<a href="https://t.example/a">' in html
