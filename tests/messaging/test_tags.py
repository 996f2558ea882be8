import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from messaging.tags import KNOWN_TAGS, TemplateError, _parts, render, render_html, template_problems, validate_template

ALL_VALUES = {tag: f"v-{tag}" for tag in KNOWN_TAGS}


def problems_of(text: str, **kwargs) -> list:
    with pytest.raises(TemplateError) as caught:
        validate_template(text, **kwargs)
    return caught.value.errors


# --- validation ------------------------------------------------------------------------------


def test_every_known_tag_is_accepted():
    validate_template(" ".join(f"<<{tag}>>" for tag in KNOWN_TAGS))


def test_plain_text_with_single_angle_brackets_is_accepted():
    validate_template("Orders < 5 kg ship free -> see you soon")


def test_unknown_tag_is_rejected_with_the_closest_known_tag_suggested():
    [problem] = problems_of("Hi, your parcel is with <<carier>>.")

    assert problem.kind == "unknown"
    assert problem.tag == "<<carier>>"
    assert problem.message == "Unknown tag <<carier>>: did you mean <<carrier>>?"


def test_unknown_tag_with_nothing_close_lists_the_known_tags():
    [problem] = problems_of("<<favourite_colour>>")

    assert "<<favourite_colour>>" in problem.message
    assert "<<tracking_url>>" in problem.message


def test_tags_are_case_sensitive_but_the_suggestion_finds_the_lowercase_tag():
    [problem] = problems_of("<<Carrier>>")

    assert problem.message == "Unknown tag <<Carrier>>: did you mean <<carrier>>?"


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("Track: <<carrier now", "<<carrier"),
        ("Track: <<carrier> now", "<<carrier>"),
        ("Track: carrier>> now", "carrier>>"),
        ("Track: << carrier >> now", "<< carrier >>"),
        ("Track: <<>> now", "<<>>"),
    ],
)
def test_malformed_tag_is_rejected_naming_it(text, quoted):
    [problem] = problems_of(text)

    assert problem.kind == "malformed"
    assert problem.tag == quoted
    assert quoted in problem.message


@pytest.mark.parametrize("text", ["<<carrier", "<<carrier>", "carrier>>", "<< carrier >>"])
def test_malformed_tag_message_shows_the_correct_spelling(text):
    [problem] = problems_of(text)

    assert problem.message.endswith("write <<carrier>>.")


def test_nested_tag_is_rejected():
    [problem] = problems_of("Hi <<a<<b>>>> there")

    assert problem.kind == "nested"
    assert problem.tag == "<<a<<b>>>>"


def test_unclosed_tag_followed_by_a_good_tag_is_reported_once_as_unclosed():
    [problem] = problems_of("<<carrier will bring it <<eta>>")

    assert problem.kind == "malformed"
    assert problem.tag == "<<carrier"


def test_text_over_the_maximum_length_is_rejected_without_parsing_it():
    [problem] = problems_of("<<carier>>" * 10_000)

    assert problem.kind == "too_long"
    assert "100,000 characters" in problem.message


def test_text_at_the_maximum_length_is_accepted():
    validate_template("x" * 20_000)
    validate_template("x" * 10, max_length=10)
    with pytest.raises(TemplateError):
        validate_template("x" * 11, max_length=10)


def test_every_problem_is_listed_in_text_order():
    text = "<<carier>> then <<>> then <<a<<b>>>> then eta>> then <<status"

    errors = problems_of(text)

    assert [error.kind for error in errors] == ["unknown", "malformed", "nested", "malformed", "malformed"]
    assert [error.tag for error in errors] == ["<<carier>>", "<<>>", "<<a<<b>>>>", "eta>>", "<<status"]


def test_template_error_is_a_value_error_whose_message_names_every_problem():
    with pytest.raises(ValueError) as caught:
        validate_template("<<carier>> and <<etaa>>")

    error = caught.value
    assert isinstance(error, TemplateError)
    assert error.tag == "<<carier>>"
    assert "<<carier>>" in str(error) and "<<etaa>>" in str(error)


def test_a_template_full_of_mistakes_reports_a_bounded_list():
    errors = problems_of("<<>>" * 1_000)

    assert len(errors) == 51
    assert errors[-1].message == "... and 950 more problems."


# --- optional parts: validation -------------------------------------------------------------


def test_an_optional_part_around_a_tag_is_accepted():
    validate_template("Hi[[ <<customer_name>>]],\n[[Expected delivery: <<eta>>.]] Opt out: <<unsubscribe_url>>")


def test_single_square_brackets_stay_plain_text():
    validate_template("[1] See the note [sic] and [Unsubscribe] <<eta>>")


@pytest.mark.parametrize(
    "text, kind, quoted, hint",
    [
        ("Hi[[ <<customer_name>>, thanks", "unclosed_part", "[[ <<customer_name>>, thanks", "end it with ]]"),
        ("Hi <<customer_name>>]], thanks", "unopened_part", "Hi <<customer_name>>]]", "start it with [["),
        ("[[Sale]] <<eta>>", "part_without_tag", "[[Sale]]", "has no tag"),
        ("[[Soon [[<<eta>>]] or later]]", "nested_part", "[[Soon [[", "cannot be nested"),
        ("[[<<eta>> <<unsubscribe_url>>]]", "required_in_part", "[[<<eta>> <<unsubscribe_url>>]]",
         "keep it outside [[ ]]"),
    ],
)
def test_a_broken_optional_part_is_refused_naming_it_and_saying_what_to_do(text, kind, quoted, hint):
    [problem] = problems_of(text)

    assert problem.kind == kind
    assert problem.tag == quoted
    assert quoted in problem.message and hint in problem.message


def test_a_nested_part_is_reported_once_however_deep():
    [problem] = problems_of("[[a [[b [[<<eta>>]] c]] d]]")

    assert problem.kind == "nested_part"


def test_an_unclosed_part_is_quoted_up_to_the_end_of_its_line():
    [problem] = problems_of("[[Expected: <<eta>>.\nTrack it: <<tracking_url>>")

    assert problem.tag == "[[Expected: <<eta>>."


def test_a_broken_tag_inside_a_part_is_reported_as_a_tag_only():
    [problem] = problems_of("[[Expected: <<etaa>>.]]")

    assert problem.kind == "unknown" and problem.tag == "<<etaa>>"


def test_tag_and_part_problems_are_listed_together_in_text_order():
    errors = problems_of("<<carier>> [[no tag]] then ]]")

    assert [error.kind for error in errors] == ["unknown", "part_without_tag", "unopened_part"]


# --- plain rendering -------------------------------------------------------------------------


def test_render_substitutes_each_tag():
    text = "<<companyname>>: <<customer_name>>, order <<order_number>> via <<carrier>>."
    values = {"companyname": "Acme", "customer_name": "Ana", "order_number": "#12", "carrier": "DHL"}

    assert render(text, values) == "Acme: Ana, order #12 via DHL."


def test_missing_or_none_value_renders_as_empty_text():
    assert render("[<<eta>>][<<carrier>>]", {"carrier": None}) == "[][]"


def test_value_containing_a_tag_is_not_expanded_again():
    values = {"customer_name": "<<tracking_url>>", "tracking_url": "https://t.example/1"}

    assert render("Hi <<customer_name>>", values) == "Hi <<tracking_url>>"


@pytest.mark.parametrize("value", ["{{ secret }}", "{% debug %}", "{0.__class__}", "${x}", "%(name)s"])
def test_template_syntax_in_a_value_comes_out_literally(value):
    assert render("Hi <<customer_name>>!", {"customer_name": value}) == f"Hi {value}!"


def test_template_syntax_in_merchant_text_comes_out_literally():
    text = "{{ user.password }} {% load x %} {0} <<carrier>>"

    assert render(text, {"carrier": "DHL"}) == "{{ user.password }} {% load x %} {0} DHL"


def test_unknown_or_malformed_tags_are_left_as_written():
    assert render("<<carier>> << eta >> <<eta>>", {"eta": "Monday"}) == "<<carier>> << eta >> Monday"


def test_template_is_parsed_once_per_text():
    text = "Unique template for the cache test: <<eta>>"
    render(text, {"eta": "1"})
    hits_before = _parts.cache_info().hits

    render(text, {"eta": "2"})

    assert _parts.cache_info().hits == hits_before + 1


# --- HTML rendering --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'><svg/onload=alert(1)>"],
)
def test_html_escapes_values(payload):
    html = render_html("Hi <<customer_name>>", {"customer_name": payload})

    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert '"' not in html.replace("<p>", "").replace("</p>", "")
    assert "&lt;" in html


def test_html_escapes_merchant_text_which_is_plain_text():
    html = render_html("<b>Sale</b> & <script>alert(1)</script>", {})

    assert html == "<p>&lt;b&gt;Sale&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_html_turns_blank_lines_into_paragraphs_and_newlines_into_breaks():
    html = render_html("Hi,\n\nLine one\nLine two\n \n\nBye", {})

    assert html == "<p>Hi,</p>\n<p>Line one<br>\nLine two</p>\n<p>Bye</p>"


def test_html_treats_windows_newlines_like_unix_ones():
    assert render_html("a\r\n\r\nb\r\nc", {}) == "<p>a</p>\n<p>b<br>\nc</p>"


def test_html_links_urls_in_merchant_text_with_an_escaped_href():
    html = render_html("Returns: https://shop.example/returns?a=1&b=2.", {})

    href = "https://shop.example/returns?a=1&amp;b=2"
    assert html == f'<p>Returns: <a href="{href}">{href}</a>.</p>'


def test_html_links_the_tracking_and_unsubscribe_urls():
    values = {"tracking_url": "https://t.example/abc", "unsubscribe_url": "https://u.example/x?y=1&z=2"}

    html = render_html("Track: <<tracking_url>>\n\nStop: <<unsubscribe_url>>", values)

    assert '<a href="https://t.example/abc">' in html
    assert '<a href="https://u.example/x?y=1&amp;z=2">' in html


def test_html_link_stops_before_a_quote_so_a_value_cannot_break_out_of_href():
    html = render_html("<<tracking_url>>", {"tracking_url": 'https://t.example/x" onclick="alert(1)'})

    assert html == '<p><a href="https://t.example/x">https://t.example/x</a>&quot; onclick=&quot;alert(1)</p>'


def test_html_does_not_link_urls_inside_shop_data_values():
    html = render_html("Hi <<customer_name>>", {"customer_name": "Bob https://phish.example/login"})

    assert "<a " not in html
    assert "https://phish.example/login" in html


def test_html_does_not_link_non_http_schemes():
    html = render_html("javascript:alert(1) and ftp://files.example", {})

    assert "<a " not in html


def test_html_merchant_url_may_end_with_a_tag_value():
    html = render_html("Order: https://shop.example/orders/<<order_number>>", {"order_number": "1234"})

    assert '<a href="https://shop.example/orders/1234">' in html


# --- properties ------------------------------------------------------------------------------

tags = st.sampled_from(KNOWN_TAGS).map(lambda tag: f"<<{tag}>>")
# No "<" in literal chunks: otherwise two chunks could join into a tag the expectation treats as
# text; no "[" or "]" either, which could form an optional part (tested on its own below).
literals = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<[]"), max_size=30)
TAG_CHUNKS = {f"<<{tag}>>" for tag in KNOWN_TAGS}


@given(text=st.text(max_size=200), values=st.dictionaries(st.sampled_from(KNOWN_TAGS), st.text(max_size=30)))
def test_render_never_raises_on_any_text_and_values(text, values):
    assert isinstance(render(text, values), str)
    assert isinstance(render_html(text, values), str)


@given(
    chunks=st.lists(st.one_of(tags, literals), max_size=12),
    values=st.fixed_dictionaries({tag: st.text(alphabet=st.characters(exclude_characters="<>"), max_size=20)
                                  for tag in KNOWN_TAGS}),
)
def test_a_valid_template_renders_every_tag_and_leaves_none(chunks, values):
    text = "".join(chunks)
    try:
        validate_template(text)
    except TemplateError:
        assume(False)

    output = render(text, values)

    assert not any(f"<<{tag}>>" in output for tag in KNOWN_TAGS)
    assert output == "".join(values[chunk[2:-2]] if chunk in TAG_CHUNKS else chunk for chunk in chunks)


@given(
    before=literals, inside=literals, after=literals, tag=st.sampled_from(KNOWN_TAGS),
    value=st.text(alphabet=st.characters(exclude_characters="<>[]"), max_size=20),
)
def test_an_optional_part_shows_whole_or_not_at_all(before, inside, after, tag, value):
    text = f"{before}[[{inside}<<{tag}>>]]{after}"
    assume(not template_problems(text))

    output = render(text, {tag: value})

    if value.strip():
        assert output == f"{before}{inside}{value}{after}"
    else:  # the text around it, joined by whitespace only
        kept_before, kept_after = before.rstrip(), after.lstrip()
        assert output.startswith(kept_before) and output.endswith(kept_after)
        assert not output[len(kept_before) : len(output) - len(kept_after)].strip()
