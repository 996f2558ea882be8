"""An amount as a shopper reads it in their language: "€24.95", "€ 24,95", "24,95 €". Pure.

Six languages and a handful of currencies do not justify a locale library: the rules are the
decimal and grouping marks and where the symbol goes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from messaging.default_copy import resolve_language

SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# language -> (decimal mark, group mark, symbol before the amount, space between them)
_STYLE = {
    "en": (".", ",", True, False),
    "nl": (",", ".", True, True),
    "de": (",", ".", False, True),
    "fr": (",", "\u202f", False, True),
    "es": (",", ".", False, True),
    "it": (",", ".", False, True),
}


def format_money(amount: Decimal, currency: str, language: str | None) -> str:
    decimal_mark, group_mark, before, spaced = _STYLE[resolve_language(language)]
    whole, _, cents = f"{Decimal(amount).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}".partition(".")
    number = f"{whole.replace(',', group_mark)}{decimal_mark}{cents}"
    symbol = SYMBOLS.get(currency, currency)
    if symbol == currency:  # a code, not a sign: always spaced ("CHF 24.95", "24,95 CHF")
        spaced = True
    gap = " " if spaced else ""
    return f"{symbol}{gap}{number}" if before else f"{number}{gap}{symbol}"
