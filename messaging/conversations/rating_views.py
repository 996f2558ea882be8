"""/rate/<signed token>/<score>/: the five links of the rating e-mail. GET records the score (the
first rating of a shipment counts; a second click shows it), POST adds the optional comment.

The signed token names the shipment (rating.rating_token), so no login is needed and a link
cannot rate another parcel; a token tampered with is a 404. The comment is taken once, while the
rating has none."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.ratelimit import ratelimit
from messaging.conversations import replies
from messaging.conversations.rating import SCORES, shipment_for_token
from messaging.services.shopper_requests import MAX_COMMENT, delivery_rating_comment, delivery_rating_create


@ratelimit("tracking_page")
@require_http_methods(["GET", "POST"])
def rate(request, token: str, score: int):
    shipment = shipment_for_token(token)
    if shipment is None or score not in SCORES:
        return render(request, "messaging/rate_invalid.html", status=404)
    language = shipment.language

    def text(key: str, **values) -> str:
        return replies.ask_text(key, language, **values)

    rating, created = delivery_rating_create(shipment=shipment, score=score)
    commented = False
    if request.method == "POST" and not rating.comment:
        comment = (request.POST.get("comment") or "").strip()
        if comment:
            delivery_rating_comment(rating=rating, comment=comment[:MAX_COMMENT])
            commented = True
    context = {
        "brand": shipment.brand, "language": language, "title": text("rating_page_title"),
        "headline": text("rating_recorded" if created or request.method == "POST" else "rating_already",
                         score=rating.score),
        "ask_comment": not rating.comment, "commented": commented, "max_comment": MAX_COMMENT,
        "comment_label": text("rating_comment_label"), "comment_send": text("rating_comment_send"),
        "comment_done": text("rating_comment_done"),
    }
    return render(request, "messaging/rate.html", context)
