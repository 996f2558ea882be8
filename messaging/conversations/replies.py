"""The bot's answers, in the shopper's language: whole sentences from the copy files
(messaging/default_copy/<lang>.py, `REPLIES`), never an English sentence with a translated label."""

from __future__ import annotations

from messaging.default_copy import de, en, es, fr, it, nl, resolve_language
from tracking.statuses import status_label

_REPLIES = {"en": en.REPLIES, "fr": fr.REPLIES, "de": de.REPLIES, "nl": nl.REPLIES, "es": es.REPLIES,
            "it": it.REPLIES}
_ASKS = {"en": en.ASKS, "fr": fr.ASKS, "de": de.ASKS, "nl": nl.ASKS, "es": es.ASKS, "it": it.ASKS}


def reply_text(key: str, language: str | None, **values: str) -> str:
    """The sentence `key` in `language` (English when we have no copy in it), filled with `values`."""
    return _REPLIES[resolve_language(language)][key].format(**values)


def weekdays(language: str | None) -> tuple[str, ...]:
    """Monday to Sunday in `language`."""
    return _REPLIES[resolve_language(language)]["weekdays"]


def ask_text(key: str, language: str | None, **values: str) -> str:
    """A sentence of the questions the bot asks (cash on delivery, rating), `ASKS` in the copy files."""
    return _ASKS[resolve_language(language)][key].format(**values)


def join_names(names: list[str], language: str | None) -> str:
    """'Acme', 'Acme en Zeta', 'Acme, Bolt en Zeta' in the language's own word for 'and'."""
    if len(names) <= 1:
        return "".join(names)
    conjunction = _REPLIES[resolve_language(language)]["and"]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def track_found(*, brand: str, order: str, status: str, url: str, language: str | None) -> str:
    label = status_label(status, resolve_language(language))
    return reply_text("track_found", language, brand=brand, order=order, status=label, url=url)


def menu(*, brand: str, language: str | None, understood: bool = True) -> str:
    """The short menu; after a text we did not understand, a sentence saying so first."""
    text = reply_text("menu", language, brand=brand)
    if understood:
        return text
    sorry = reply_text("not_understood", language, brand=brand)
    # The brand's name once: "Acme: sorry, ... Reply TRACK ..." (the menu without its own prefix).
    prefix = f"{brand}:"
    tail = text[len(prefix):].lstrip() if text.startswith(prefix) else text
    return f"{sorry} {tail[:1].upper()}{tail[1:]}"
