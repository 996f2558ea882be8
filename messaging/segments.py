"""How many SMS segments a text costs.

A text that fits the GSM 03.38 alphabet travels as 7-bit septets (160 per single message, 153
per part once it is split, because the concatenation header takes room). Anything else forces
UCS-2 for the whole message: 70 UTF-16 code units, 67 per part. Characters of the GSM extension
table take two septets (escape + character), and an emoji outside the BMP takes two code units;
neither is ever split across two parts, which is why parts are packed one character at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet, without 0x1B (the escape to the extension table).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Default extension table: each costs two septets.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}  # (single message, per part of a long one)


class SegmentInfo(NamedTuple):
    encoding: Literal["GSM-7", "UCS-2"]
    characters: int  # what counts against the limits: septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # 160/70 for a single message, 153/67 once split


def sms_segments(text: str) -> SegmentInfo:
    """Encoding, length and number of parts of an SMS text."""
    if _GSM7_ALL.issuperset(text):
        encoding = GSM7
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
    else:
        encoding = UCS2
        sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    single, per_part = _LIMITS[encoding]
    units = sum(sizes)
    if units == 0:
        return SegmentInfo(encoding, 0, 0, single)
    if units <= single:
        return SegmentInfo(encoding, units, 1, single)
    return SegmentInfo(encoding, units, _pack(sizes, per_part), per_part)


def _pack(sizes: Iterable[int], per_part: int) -> int:
    parts, used = 1, 0
    for size in sizes:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts


# Smart encoding (as Twilio's): characters outside GSM-7 that have a close GSM-7 look-alike are
# replaced by it before sending, so one accent or curly quote never turns the whole SMS into UCS-2
# (70 characters a segment instead of 160). Letters not listed fall back to their base letter
# (NFKD without the accents) when that is GSM-7; anything else (an emoji) stays and costs UCS-2.
_SMART = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "-", "\u00b7": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
    "\u00e7": "c", "\u0153": "oe", "\u0152": "OE", "\u00df": "ß", "\u00aa": "a", "\u00ba": "o",
    "\u00b0": "o", "\u00d0": "D", "\u00f0": "d", "\u00de": "Th", "\u00fe": "th", "\u0141": "L", "\u0142": "l",
    "\u00d8": "Ø", "\u00f8": "ø", "\u2122": "TM", "\u00a9": "(c)", "\u00ae": "(R)",
}


def smart_encode(text: str) -> str:
    """`text` with every non-GSM-7 character that has a GSM-7 equivalent replaced by it."""
    if _GSM7_ALL.issuperset(text):
        return text
    return "".join(_gsm7_equivalent(char) for char in text)


def _gsm7_equivalent(char: str) -> str:
    if char in _GSM7_ALL:
        return char
    if char in _SMART:
        return _SMART[char]
    import unicodedata

    base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
    return base if base and _GSM7_ALL.issuperset(base) else char
