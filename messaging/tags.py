"""Dynamic tags in merchant templates: checked when a template is saved, filled when a message is
built.

Merchant text is plain text with `<<tag>>` placeholders. Rendering is plain substitution of the
known tags, never a template engine: a value that looks like a tag or like template syntax
(`<<x>>`, `{{ x }}`, `{% x %}`) comes out literally. A template is parsed once per distinct text
(cached) and every render is a list fill and a join.
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


@dataclass(frozen=True)
class TagProblem:
    """One thing wrong with a template. `kind` is unknown, malformed, nested, too_long or more."""

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


def validate_template(text: str, *, max_length: int = MAX_TEMPLATE_LENGTH) -> None:
    """Raise TemplateError naming every unknown, malformed or nested tag (or a too long text)."""
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
    problems = _scan(text)
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
    problems.sort(key=lambda problem: problem.position)
    return problems


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


# --- rendering -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _parts(text: str) -> tuple[str, ...]:
    """Literal text at even indexes, known tag names at odd ones; anything else stays literal."""
    return tuple(_TAG.split(text))


def render(text: str, values: Mapping[str, str]) -> str:
    """Plain substitution of the known tags; a missing or empty value becomes ''."""
    parts = _parts(text)
    if len(parts) == 1:
        return text
    out = list(parts)
    get = values.get
    for index in range(1, len(out), 2):
        out[index] = get(out[index]) or ""
    return "".join(out)


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}"  # sentence punctuation right after a link is not part of it
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def render_html(text: str, values: Mapping[str, str]) -> str:
    """HTML body: merchant text and values escaped, paragraphs as <p>, line breaks as <br>,
    http(s) links clickable."""
    text = _unix_newlines(text)
    pieces: list[str] = []
    # Boundaries [start, end, start, end, ...] of the characters that came from shop data.
    untrusted: list[int] = []
    length = 0
    get = values.get
    for index, part in enumerate(_parts(text)):
        if index % 2:
            value = _unix_newlines(get(part) or "")
            if value and part not in LINK_TAGS:
                untrusted += (length, length + len(value))
            part = value
        pieces.append(part)
        length += len(part)
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
