"""The question a shopper's reply answers (handling.pending_question): the latest open ask,
wrapped in the class that knows what an answer to it is."""

from __future__ import annotations

from brands.models import Brand
from messaging.conversations.asks import ask_pending
from messaging.conversations.cod import CodQuestion
from messaging.conversations.rating import RatingQuestion
from messaging.models import AskKind

QUESTIONS = {AskKind.COD: CodQuestion, AskKind.RATING: RatingQuestion}


def question_for(*, brand: Brand, recipient: str):
    ask = ask_pending(brand=brand, recipient=recipient)
    return QUESTIONS[ask.kind](ask) if ask is not None else None
