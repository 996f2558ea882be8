"""Dynamic tags in merchant templates: checked when a template is saved, filled when a message is
built.

Merchant text is plain text with `<<tag>>` placeholders. Rendering is plain substitution of the
known tags, never a template engine: a value that looks like a tag or like template syntax
(`<<x>>`, `{{ x }}`, `{% x %}`, `[[x]]`) comes out literally. A template is parsed once per
distinct text (cached) and every render is a list fill and a join.

Optional parts: text written between `[[` and `]]` is left out, whole, when a tag inside it is
empty: "Hi[[ <<customer_name>>]]," reads "Hi," without a name, never "Hi ,". A left-out part
takes the spaces around it along (no double space, no space before a comma). Why `[[ ]]`:
- ordinary copy never doubles square brackets, and single ones ("[1]", "[sic]") stay text;
- every `[[` and `]]` of merchant text is read as this syntax and checked on save, so a stray
  one is refused with a message rather than silently dropping text;
- `{{ }}` and `{% %}` belong to template engines and to Meta's placeholders, `( )` to prose,
  and marks inside `<< >>` would make tags harder to read;
- values (shop data) are never parsed, so a name containing "[[" is printed as it is.
Parts cannot be nested, need a tag, and cannot hold <<unsubscribe_url>> (every message carries it).
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

KNOWN_TAGS: tuple[str, ...] = (
    "companyname",
    "carrier",
    "whatsappnumber",
    "customer_name",
    "order_number",
    "tracking_number",
    "tracking_url",
    "status",
    "eta",
    "pickup_point",
    "unsubscribe_url",
)
_KNOWN = frozenset(KNOWN_TAGS)
# Every message carries it (DESIGN): merchant texts must contain it, WhatsApp has it in a button.
UNSUBSCRIBE_TAG = "<<unsubscribe_url>>"
# Tags whose value may be empty: shop data an integration need not send, a brand without a
# WhatsApp number, a shipment whose carrier has no name for the shopper. Texts put each one in
# an optional part (the default copy does, and its tests prove it).
OPTIONAL_TAGS: tuple[str, ...] = ("customer_name", "order_number", "carrier", "eta", "pickup_point", "whatsappnumber")
PART_OPEN, PART_CLOSE = "[[", "]]"

# Values of these tags are links the platform makes. Other values (names, numbers, addresses)
# come from shop data and are never made clickable, so a crafted customer name cannot become a
# link in an e-mail sent in the merchant's name.
LINK_TAGS = frozenset({"tracking_url", "unsubscribe_url"})

MAX_TEMPLATE_LENGTH = 20_000
_MAX_PROBLEMS = 50  # a pathological template must not produce a pathological error list
_SNIPPET = 40  # how much of a broken tag we quote back

_DELIMITER = re.compile(r"<<|>>")
_NAME = re.compile(r"[A-Za-z0-9_]+")
_TAG = re.compile("<<(" + "|".join(KNOWN_TAGS) + ")>>")
_TAG_END_GUESS = re.compile(r"\s|<<")
_PART_DELIMITER = re.compile(r"\[\[|\]\]")
# An innermost [[...]] (no [[ or ]] inside); the parser keeps only those holding a known tag.
_PART = re.compile(r"\[\[((?:(?!\[\[|\]\]).)*)\]\]", re.DOTALL)


@dataclass(frozen=True)
class TagProblem:
    """One thing wrong with a template. `kind` is unknown, malformed, nested, too_long, too_many,
    or one of PART_PROBLEMS for an optional part."""

    kind: str
    message: str
    tag: str | None
    position: int

    def __str__(self) -> str:
        return self.message


class TemplateError(ValueError):
    """A template that cannot be saved. `errors` lists every problem, in text order."""

    def __init__(self, message: str, *, tag: str | None = None, errors: list[TagProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tag = tag
        self.errors = errors if errors is not None else [TagProblem("invalid", message, tag, 0)]


PART_PROBLEMS = frozenset({"unclosed_part", "unopened_part", "nested_part", "part_without_tag", "required_in_part"})


def validate_template(text: str, *, max_length: int = MAX_TEMPLATE_LENGTH) -> None:
    """Raise TemplateError naming every unknown, malformed or nested tag and every broken
    optional part (or a too long text)."""
    problems = template_problems(text, max_length=max_length)
    if problems:
        message = "; ".join(problem.message for problem in problems)
        raise TemplateError(message, tag=problems[0].tag, errors=problems)


def template_problems(text: str, *, max_length: int = MAX_TEMPLATE_LENGTH) -> list[TagProblem]:
    """Everything wrong with a template, in text order; empty when it can be saved."""
    if len(text) > max_length:
        # Not parsed further: the length alone decides, and huge input costs no more work.
        message = f"Template is too long: {len(text):,} characters (at most {max_length:,})."
        return [TagProblem("too_long", message, None, max_length)]
    problems = sorted(_scan(text) + _scan_parts(text), key=lambda problem: problem.position)
    if len(problems) > _MAX_PROBLEMS:
        hidden = len(problems) - _MAX_PROBLEMS
        problems = problems[:_MAX_PROBLEMS]
        problems.append(TagProblem("too_many", f"... and {hidden} more problems.", None, len(text)))
    return problems


def _scan(text: str) -> list[TagProblem]:
    problems: list[TagProblem] = []
    opened: list[int] = []  # positions of "<<" still waiting for their ">>"
    inner: list[tuple[int, int]] = []  # tags closed while an outer "<<" was still open
    for match in _DELIMITER.finditer(text):
        position = match.start()
        if match.group() == "<<":
            opened.append(position)
            continue
        if not opened:
            problems.append(_stray_close(text, position))
            continue
        start = opened.pop()
        end = position + 2
        if opened:
            inner.append((start, end))
        elif inner:
            written = _quote(text[start:end])
            message = f"Nested tag {written}: a tag cannot contain another tag."
            problems.append(TagProblem("nested", message, written, start))
            inner.clear()
        else:
            problem = _check_tag(text[start:end], start)
            if problem:
                problems.append(problem)
    # Whatever is still open never closed; the tags inside it stand on their own.
    problems.extend(_unterminated(text, start) for start in opened)
    problems.extend(p for start, end in inner if (p := _check_tag(text[start:end], start)))
    return problems


def _scan_parts(text: str) -> list[TagProblem]:
    problems: list[TagProblem] = []
    opened: list[int] = []  # positions of "[[" still waiting for their "]]"
    nested: set[int] = set()  # outermost parts already reported as holding another part
    for match in _PART_DELIMITER.finditer(text):
        position = match.start()
        if match.group() == PART_OPEN:
            if opened and opened[0] not in nested:
                nested.add(opened[0])
                written = _quote(text[opened[0] : position + 2])
                message = f"Optional part {written} holds another one: optional parts cannot be nested."
                problems.append(TagProblem("nested_part", message, written, opened[0]))
            opened.append(position)
        elif not opened:
            written = _quote_back(text, position + 2)
            message = f"Optional part {written} is closed but never opened: start it with [[."
            problems.append(TagProblem("unopened_part", message, written, position))
        else:
            start = opened.pop()
            if not opened and start not in nested and (problem := _check_part(text[start : position + 2], start)):
                problems.append(problem)
    for start in opened:
        written = _quote(text[start:].split("\n", 1)[0])
        message = f"Optional part {written} is never closed: end it with ]]."
        problems.append(TagProblem("unclosed_part", message, written, start))
    return problems


def _check_part(written: str, position: int) -> TagProblem | None:
    quoted = _quote(written)
    if UNSUBSCRIBE_TAG in written:
        message = (f"Optional part {quoted} holds {UNSUBSCRIBE_TAG}: every message carries the unsubscribe "
                   "link, so keep it outside [[ ]].")
        return TagProblem("required_in_part", message, quoted, position)
    if "<<" not in written:  # a broken tag inside is reported as such, once
        message = (f"Optional part {quoted} has no tag: it is left out only when a tag inside it is empty, "
                   "so put the tag it depends on inside, or write the text without [[ ]].")
        return TagProblem("part_without_tag", message, quoted, position)
    return None


def _check_tag(written: str, position: int) -> TagProblem | None:
    name = written[2:-2]
    if name in _KNOWN:
        return None
    quoted = _quote(written)
    if not name.strip():
        return TagProblem("malformed", f"Empty tag {quoted}: write a tag name between << and >>.", quoted, position)
    if any(char.isspace() for char in name):
        return TagProblem("malformed", f"Malformed tag {quoted}: no spaces inside a tag{_hint(name)}", quoted, position)
    if not _NAME.fullmatch(name):
        message = f"Malformed tag {quoted}: a tag name has only letters, digits and underscores{_hint(name)}"
        return TagProblem("malformed", message, quoted, position)
    suggestion = _closest(name)
    if suggestion:
        message = f"Unknown tag {quoted}: did you mean <<{suggestion}>>?"
    else:
        message = f"Unknown tag {quoted}: known tags are " + ", ".join(f"<<{tag}>>" for tag in KNOWN_TAGS) + "."
    return TagProblem("unknown", message, quoted, position)


def _unterminated(text: str, start: int) -> TagProblem:
    # Quote up to the next space or the next "<<", which is where the writer most likely stopped.
    match = _TAG_END_GUESS.search(text, start + 2)
    written = _quote(text[start : match.start() if match else len(text)])
    message = f"Malformed tag {written}: a tag must end with >>{_hint(written)}"
    return TagProblem("malformed", message, written, start)


def _stray_close(text: str, position: int) -> TagProblem:
    begin = position
    while begin > 0 and not text[begin - 1].isspace() and position - begin < _SNIPPET:
        begin -= 1
    written = text[begin : position + 2]
    message = f"Malformed tag {written}: a tag must start with <<{_hint(written)}"
    return TagProblem("malformed", message, written, begin)


def _hint(fragment: str) -> str:
    """'; write <<carrier>>.' when the broken fragment is clearly meant as a known tag."""
    name = fragment.strip("<> \t\r\n").strip()
    guess = name if name in _KNOWN else _closest(name)
    return f"; write <<{guess}>>." if guess else "."


def _closest(name: str) -> str | None:
    matches = difflib.get_close_matches(name.lower(), KNOWN_TAGS, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _quote(written: str) -> str:
    return written if len(written) <= _SNIPPET else written[: _SNIPPET - 1] + "…"


def _quote_back(text: str, end: int) -> str:
    """The end of the line up to `end`, shortened from the left: where a stray "]]" was meant."""
    line = text[text.rfind("\n", 0, end) + 1 : end]
    return line if len(line) <= _SNIPPET else "…" + line[-(_SNIPPET - 1) :]


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    """A template cut once into pieces: literal text, and known tag names at `tags` (indexes);
    `parts` lists each optional part as (first piece, end piece, indexes of its tags)."""

    pieces: tuple[str, ...]
    tags: tuple[int, ...]
    parts: tuple[tuple[int, int, tuple[int, ...]], ...]


@functools.lru_cache(maxsize=1024)
def _parts(text: str) -> _Parsed:
    """Optional parts are well-formed `[[...]]` holding a known tag; any other bracket stays text,
    like anything that is not a known tag."""
    pieces: list[str] = []
    tags: list[int] = []
    parts: list[tuple[int, int, tuple[int, ...]]] = []

    def cut(chunk: str) -> tuple[int, ...]:
        found = []
        for index, piece in enumerate(_TAG.split(chunk)):
            if index % 2:
                found.append(len(pieces))
            pieces.append(piece)
        tags.extend(found)
        return tuple(found)

    done = 0
    for match in _PART.finditer(text):
        if _TAG.search(match.group(1)):
            cut(text[done : match.start()])
            first = len(pieces)
            inner = cut(match.group(1))
            parts.append((first, len(pieces), inner))
            done = match.end()
    cut(text[done:])
    return _Parsed(tuple(pieces), tuple(tags), tuple(parts))


def render(text: str, values: Mapping[str, str]) -> str:
    """Plain substitution of the known tags; a missing or empty value becomes '', and an optional
    part with an empty tag is left out."""
    return "".join(_rendered(_parts(text), values.get))


def _rendered(parsed: _Parsed, get) -> list[str]:
    """The pieces with their tags filled and the optional parts whose tags are not all filled
    left out (their pieces made empty)."""
    out = list(parsed.pieces)
    for index in parsed.tags:
        out[index] = get(out[index]) or ""
    gaps = []
    for first, end, tags in parsed.parts:
        for index in tags:
            if not out[index].strip():
                out[first:end] = [""] * (end - first)
                gaps.append(first)
                break
    for gap in gaps:  # once every part is decided, so that a gap sees past its left-out neighbours
        _close_gap(out, gap)
    return out


_CLOSING_PUNCTUATION = frozenset(",.;:!?)")


def _close_gap(pieces: list[str], gap: int) -> None:
    """Where a part was left out, the whitespace on both sides becomes one separator: one space,
    or the longer run of line breaks; none at the start or end of the text. Before a closing
    punctuation mark only a space written right before the mark stays, as French puts one before
    "?", so "Hi [[<<customer_name>>]]," gives "Hi," and "commande[[ <<order_number>>]] ?" keeps its space."""
    before, after = gap - 1, gap
    left = right = ""
    while before >= 0:
        kept = pieces[before].rstrip()
        left = pieces[before][len(kept) :] + left
        pieces[before] = kept
        if kept:
            break
        before -= 1
    while after < len(pieces):
        kept = pieces[after].lstrip()
        right += pieces[after][: len(pieces[after]) - len(kept)]
        pieces[after] = kept
        if kept:
            break
        after += 1
    if before < 0 or after >= len(pieces):
        return
    breaks = max(left.count("\n"), right.count("\n"))
    if breaks:
        pieces[before] += "\n" * breaks
    elif right if pieces[after][0] in _CLOSING_PUNCTUATION else left or right:
        pieces[before] += " "


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}"  # sentence punctuation right after a link is not part of it
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def render_html(text: str, values: Mapping[str, str]) -> str:
    """HTML body: merchant text and values escaped, paragraphs as <p>, line breaks as <br>,
    http(s) links clickable."""
    parsed = _parts(_unix_newlines(text))
    pieces = _rendered(parsed, lambda tag: _unix_newlines(values.get(tag) or ""))
    # Boundaries [start, end, start, end, ...] of the characters that came from shop data.
    untrusted: list[int] = []
    shop_data = {index for index in parsed.tags if parsed.pieces[index] not in LINK_TAGS}
    length = 0
    for index, piece in enumerate(pieces):
        if piece and index in shop_data:
            untrusted += (length, length + len(piece))
        length += len(piece)
    body = _escape_and_link("".join(pieces), untrusted)
    paragraphs = (block.strip() for block in _BLANK_LINE.split(body))
    return "\n".join("<p>" + block.replace("\n", "<br>\n") + "</p>" for block in paragraphs if block)


def _escape_and_link(plain: str, untrusted: list[int]) -> str:
    out: list[str] = []
    done = 0
    for match in _URL.finditer(plain):
        start = match.start()
        if bisect_right(untrusted, start) % 2:
            continue  # starts inside a data value: stays plain text
        url = match.group().rstrip(_URL_TRAILING)
        if url.endswith("//"):
            continue
        out.append(html.escape(plain[done:start]))
        href = html.escape(url)
        out.append(f'<a href="{href}">{href}</a>')
        done = start + len(url)
    out.append(html.escape(plain[done:]))
    return "".join(out)


def _unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
