"""What the e-mail layout (templates/messaging/email.html) needs besides the text: the words of
its button and footer in the message's language, and a text colour that stays readable on the
brand's colour (a light brand colour gets dark text, in light and dark mode alike)."""

from __future__ import annotations

_WORDS = {
    "en": {"button": "Track your parcel", "unsubscribe": "Unsubscribe", "link_help": "Or open this link:"},
    "fr": {"button": "Suivre mon colis", "unsubscribe": "Se désinscrire", "link_help": "Ou ouvrez ce lien :"},
    "de": {"button": "Sendung verfolgen", "unsubscribe": "Abmelden", "link_help": "Oder öffnen Sie diesen Link:"},
    "nl": {"button": "Volg je pakket", "unsubscribe": "Afmelden", "link_help": "Of open deze link:"},
    "es": {"button": "Seguir mi paquete", "unsubscribe": "Darse de baja", "link_help": "O abre este enlace:"},
    "it": {"button": "Traccia il pacco", "unsubscribe": "Annulla iscrizione", "link_help": "Oppure apri questo link:"},
}


def words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    return "#ffffff" if contrast("#ffffff", background) >= contrast("#111827", background) else "#111827"
