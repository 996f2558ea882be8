"""What a shopper's text asks for, in any of the six languages (en, fr, de, nl, es, it). Pure.

A keyword is understood whatever its case, accents and punctuation ("Arrêt", "stop!", "Sì."),
alone or followed by an order number (TRACK 10428, VOLG #10428). A bare token counts as an order
number only when it has a digit in it: "YES", "RETURN" or "HALLO" are never looked up as orders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

STOP, START, TRACK, HELP, YES, NO, UNKNOWN = "stop", "start", "track", "help", "yes", "no", "unknown"

# Accents are dropped before matching: ARRÊT is ARRET, SÌ and SÍ are SI.
WORDS: dict[str, frozenset[str]] = {
    STOP: frozenset({
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",  # en
        "ARRET", "ARRETER", "DESABONNER", "DESINSCRIRE",  # fr
        "STOPP", "STOPPEN", "ABMELDEN", "ABBESTELLEN",  # de
        "AFMELDEN", "UITSCHRIJVEN",  # nl
        "ALTO", "BAJA", "PARAR", "CANCELAR",  # es
        "BASTA", "ANNULLA", "DISISCRIVI", "FERMA",  # it
    }),
    START: frozenset({
        "START", "UNSTOP", "RESUME", "SUBSCRIBE",  # en
        "DEMARRER", "REPRENDRE",  # fr
        "ANMELDEN", "STARTEN",  # de
        "AANMELDEN", "HERVATTEN",  # nl
        "ALTA", "INICIAR", "EMPEZAR",  # es
        "AVVIA", "RIPRENDI", "ISCRIVI",  # it
    }),
    TRACK: frozenset({
        "TRACK", "TRACKING", "STATUS", "WHERE",  # en
        "SUIVI", "SUIVRE", "STATUT", "OU",  # fr
        "SENDUNG", "VERFOLGEN", "SENDUNGSVERFOLGUNG", "WO",  # de
        "VOLG", "VOLGEN", "WAAR",  # nl
        "SEGUIMIENTO", "SEGUIR", "ESTADO", "DONDE", "RASTREO",  # es
        "SEGUI", "TRACCIA", "TRACCIAMENTO", "STATO", "DOVE",  # it
    }),
    HELP: frozenset({"HELP", "INFO", "MENU", "AIDE", "HILFE", "HULP", "AYUDA", "AIUTO"}),
    YES: frozenset({"YES", "Y", "OUI", "JA", "SI", "OK"}),
    NO: frozenset({"NO", "N", "NON", "NEIN", "NEE"}),
}
_ORDER = re.compile(r"^#?\s*([A-Z0-9][A-Z0-9-]{2,63})$")


@dataclass(frozen=True)
class Intent:
    kind: str  # STOP | START | TRACK | HELP | YES | NO | UNKNOWN
    order: str = ""  # TRACK's order number, if one was given


def normalise(text: str) -> str:
    """'Arrêt', ' stop! ' and 'Stop.' -> 'ARRET', 'STOP', 'STOP'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", re.sub(r"[^\w#\s-]", " ", plain)).strip().upper()


def classify(text: str) -> Intent:
    words = normalise(text)
    if not words:
        return Intent(UNKNOWN)
    first, _, rest = words.partition(" ")
    for kind in (STOP, START, HELP, YES, NO):
        if words in WORDS[kind]:
            return Intent(kind)
    if first in WORDS[TRACK]:  # "TRACK 10428", "VOLG", "WO IST MEIN PAKET": the latest parcel unless one is named
        match = _ORDER.match(rest) if rest else None
        return Intent(TRACK, match.group(1) if match else "")
    match = _ORDER.match(words)
    if match and any(ch.isdigit() for ch in match.group(1)):
        return Intent(TRACK, match.group(1))
    return Intent(UNKNOWN)
