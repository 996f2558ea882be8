import pytest

from messaging.segments import GSM7_BASIC, GSM7_EXTENSION, SegmentInfo, sms_segments


def test_empty_text_costs_no_segment():
    assert sms_segments("") == SegmentInfo("GSM-7", 0, 0, 160)


def test_gsm7_alphabet_has_the_127_basic_characters_and_10_extension_characters():
    assert len(GSM7_BASIC) == 127
    assert GSM7_EXTENSION == frozenset("^{}\\[~]|€\f")


@pytest.mark.parametrize(
    "length, segments, per_segment",
    [(1, 1, 160), (160, 1, 160), (161, 2, 153), (306, 2, 153), (307, 3, 153), (459, 3, 153), (460, 4, 153)],
)
def test_gsm7_segment_boundaries(length, segments, per_segment):
    info = sms_segments("a" * length)

    assert info == SegmentInfo("GSM-7", length, segments, per_segment)


@pytest.mark.parametrize(
    "length, segments, per_segment",
    [(70, 1, 70), (71, 2, 67), (134, 2, 67), (135, 3, 67)],
)
def test_ucs2_segment_boundaries(length, segments, per_segment):
    info = sms_segments("ж" * length)

    assert info == SegmentInfo("UCS-2", length, segments, per_segment)


def test_accents_of_the_gsm_alphabet_keep_gsm7():
    assert sms_segments("Livré à Orléans, Düsseldorf, España, Città, perché, Ærø").encoding == "GSM-7"


@pytest.mark.parametrize("char", ["ê", "ç", "ô", "ë", "á", "’", "–", "😀"])
def test_one_character_outside_gsm7_switches_the_whole_text_to_ucs2(char):
    assert sms_segments("a" * 100 + char).encoding == "UCS-2"


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_extension_characters_count_two_septets(char):
    info = sms_segments("a" + char)

    assert (info.encoding, info.characters) == ("GSM-7", 3)


def test_extension_characters_fill_a_single_segment_at_eighty():
    assert sms_segments("€" * 80) == SegmentInfo("GSM-7", 160, 1, 160)
    assert sms_segments("€" * 81) == SegmentInfo("GSM-7", 162, 2, 153)


def test_extension_character_is_never_split_across_two_segments():
    # 306 septets would fit two parts of 153, but the euro sign cannot straddle the boundary.
    info = sms_segments("a" * 152 + "€" + "a" * 152)

    assert info == SegmentInfo("GSM-7", 306, 3, 153)


def test_emoji_counts_two_utf16_code_units():
    assert sms_segments("😀" * 35) == SegmentInfo("UCS-2", 70, 1, 70)
    assert sms_segments("😀" * 36) == SegmentInfo("UCS-2", 72, 2, 67)


def test_emoji_is_never_split_across_two_segments():
    info = sms_segments("a" * 66 + "😀" + "a" * 66)

    assert info == SegmentInfo("UCS-2", 134, 3, 67)


def test_newlines_count_as_one_septet():
    assert sms_segments("a\nb\r\nc").characters == 6


# --- smart encoding -------------------------------------------------------------------------------

from messaging.segments import smart_encode


@pytest.mark.parametrize(("text", "sent"), [
    ("Votre colis arrive bientôt", "Votre colis arrive bientot"),
    ("Tu pedido está listo. ¿Dónde?", "Tu pedido esta listo. ¿Donde?"),
    ("It’s “here” – at last…", "It's \"here\" - at last..."),
    ("Ça a été reçu", "Ça a été recu"),
    ("Größe Straße", "Größe Straße"),
])
def test_smart_encoding_replaces_what_has_a_gsm7_equivalent(text, sent):
    assert smart_encode(text) == sent
    assert sms_segments(smart_encode(text)).encoding == "GSM-7"


def test_an_accent_never_doubles_the_price_of_a_full_sms():
    text = "ê" + "a" * 150

    assert sms_segments(text).segments == 3  # UCS-2
    assert sms_segments(smart_encode(text)).segments == 1


def test_an_emoji_has_no_gsm7_equivalent_and_stays():
    assert smart_encode("Hi 😀") == "Hi 😀"
