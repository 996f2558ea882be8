"""/unsubscribe/<token>/: GET shows what would stop, POST opts out.

The signed token names the brand and the recipient, so no login is needed and a token can
only unsubscribe the address it was made for. POST also serves RFC 8058 one-click unsubscribe
(mailbox providers POST `List-Unsubscribe=One-Click` without a CSRF token), hence csrf_exempt:
the token itself is the proof.

The page says exactly what stops: the token's address, for its brand (an e-mail address: the
e-mails; a phone number: SMS and WhatsApp). It offers "all channels of this brand" too, which
also stops the other addresses on the brand's shipments to the same shopper (POST scope=all);
a one-click POST has no scope and stops the token's address only.

The page is in the language of the brand's latest shipment to the recipient, else the browser's,
else the brand's default.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from brands.models import Brand
from core.error_views import shopper_not_found
from core.languages import shopper_language
from core.ratelimit import ratelimit
from messaging.dispatch import optouts
from messaging.models import OptOut
from messaging.optout_tokens import BadOptOutToken, normalise_recipient, read_optout_token
from messaging.unsubscribe_copy import copy_for
from tracking import presentation


def mask(recipient: str) -> str:
    """'a•••@example.com' / '+31•••••5678': enough to recognise, not enough to harvest."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{recipient[:3]}•••••{recipient[-4:]}" if len(recipient) > 7 else "•••"


def _listed(addresses, copy) -> list[dict[str, str]]:
    # An e-mail address stops e-mails; a phone number stops both SMS and WhatsApp (one opt-out row).
    return [{"channels": copy["email"] if "@" in a else copy["phone"], "address": mask(a)} for a in addresses]


@ratelimit("unsubscribe")
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        target = read_optout_token(token)
    except BadOptOutToken:
        return shopper_not_found(request, kind="unsubscribe")
    # Public page: the signed token is the authority, the brand is looked up by its id in it.
    brand = Brand.objects.select_related("account").filter(pk=target.brand_id).first()
    if brand is None:
        return shopper_not_found(request, kind="unsubscribe")
    address = normalise_recipient(target.recipient)
    language = shopper_language(request, optouts.shopper_language(brand=brand, recipient=address),
                                fallback=brand.default_language)
    copy = copy_for(language, brand=brand.name)

    if request.method == "POST":
        if request.POST.get("scope") == "all":
            stopped = optouts.opt_out_shopper(brand=brand, recipient=address, source=OptOut.Source.LINK)
        else:
            optouts.opt_out(brand=brand, recipient=address, source=OptOut.Source.LINK)
            stopped = [address]
        state = "done"
    else:
        state = "already" if optouts.is_opted_out(brand=brand, recipient=address) else "confirm"
        stopped = [address]
    addresses = optouts.shopper_addresses(brand=brand, recipient=address)
    still_open = set(addresses) - optouts.opted_out_among(brand=brand, recipients=addresses)
    others = [a for a in addresses if a in still_open and a not in stopped]
    context = {
        "brand": brand,
        "language": language,
        "copy": copy,
        "state": state,
        "heading": copy[f"{state}_heading"],
        "text": copy[f"{state}_text"],
        "stopping": _listed(stopped, copy),
        "others": _listed(others, copy),
        # How to undo each kind of address that stopped (a reply START opts a phone back in).
        "undo": [text for text, kind in ((copy["undo_email"], True), (copy["undo_phone"], False))
                 if any(("@" in a) == kind for a in stopped)],
        "colour": presentation.safe_colour(brand.primary_color),
        "ink": presentation.ink_for(brand.primary_color),
    }
    response = render(request, "messaging/unsubscribe.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
