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
