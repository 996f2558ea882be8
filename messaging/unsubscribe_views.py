"""/unsubscribe/<token>/: GET shows a confirmation, POST opts the recipient out of the brand.

The signed token names the brand and the recipient, so no login is needed and a token can
only unsubscribe the address it was made for. POST also serves RFC 8058 one-click unsubscribe
(mailbox providers POST `List-Unsubscribe=One-Click` without a CSRF token), hence csrf_exempt:
the token itself is the proof."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from brands.models import Brand
from core.ratelimit import ratelimit
from messaging.dispatch.optouts import is_opted_out, opt_out
from messaging.models import OptOut
from messaging.optout_tokens import BadOptOutToken, read_optout_token


def mask(recipient: str) -> str:
    """'a•••@example.com' / '+31•••••5678': enough to recognise, not enough to harvest."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{recipient[:3]}•••••{recipient[-4:]}" if len(recipient) > 7 else "•••"


@ratelimit("unsubscribe")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        target = read_optout_token(token)
    except BadOptOutToken:
        return render(request, "messaging/unsubscribe_invalid.html", status=404)
    # Public page: the signed token is the authority, the brand is looked up by its id in it.
    brand = Brand.objects.select_related("account").filter(pk=target.brand_id).first()
    if brand is None:
        return render(request, "messaging/unsubscribe_invalid.html", status=404)
    context = {"brand": brand, "recipient": mask(target.recipient)}
    if request.method == "POST":
        opt_out(brand=brand, recipient=target.recipient, source=OptOut.Source.LINK)
        return render(request, "messaging/unsubscribe_done.html", context)
    context["already"] = is_opted_out(brand=brand, recipient=target.recipient)
    return render(request, "messaging/unsubscribe_confirm.html", context)
