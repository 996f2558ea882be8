"""/s/<code>: the short links of SMS (messaging/short_links.py). A code that was not made by us, or
whose shipment no longer holds what it was made for, is the branded 404; a good one redirects to
our own tracking or unsubscribe page, never anywhere else."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.ratelimit import ratelimit
from messaging import short_links
from tracking.models import Shipment


@ratelimit("tracking_page")
@never_cache
@require_GET
def short_link(request, code: str):
    parsed = short_links.parse_code(code)
    # Public link: the signed code is the authority, the shipment is looked up by the id in it.
    shipment = Shipment.objects.filter(pk=parsed.shipment_id).first() if parsed else None
    if parsed is None or not short_links.verify(parsed, shipment):
        raise Http404("No such link.")
    response = redirect(short_links.target_url(parsed, shipment))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
