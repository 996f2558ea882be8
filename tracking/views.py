"""The shopper's pages: no login. `/track/<token>/` shows one shipment (the unguessable token is
the key); `/track/b/<brand_slug>/` finds one by order number + postal code and answers a
mismatch with one neutral message, whichever part was wrong.

The tracking page is rendered once per version of its shipment and shared through the cache,
with an ETag for conditional GETs (tracking/page_cache.py). Its per-address limit
(`tracking_page`) counts only links that lead nowhere: a real link's page costs less than the
limit's own check, and a shopper reloading their parcel is never refused.

The lookup against enumeration of order numbers (limits in settings.THROTTLE_RATES):
- `tracking_lookup`: every request of one client address (also for slugs that do not exist).
- `tracking_lookup_brand_misses`: misses at one brand from all addresses together, and
  `tracking_lookup_address_misses`: misses at that brand from one address (core.ratelimit.MissBudget).
  While the brand's budget lasts, a miss is answered "not found". Once many addresses together
  have spent it, until its window ends, an address that has used up its own allowance of misses
  at the brand is refused (429 with Retry-After); every other address is still answered. So a
  shopper with the right order number and postal code is not refused because others missed, and
  one who mistyped once still gets "not found", while each attacking address gets only a few
  more guesses an hour.
- No oracle: a refusal is decided before the shipments are read, from counters alone, so a
  refused lookup answers the same, and as fast, whether the combination exists or not. Misses are
  all answered with one page that does not echo the input.
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.error_views import shopper_not_found
from core.languages import shopper_language
from core.ratelimit import MissBudget, client_ip, hit, ratelimit, too_many_requests
from tracking import page_cache, presentation, selectors
from tracking.status_guidance import guidance, shows_expected_delivery
from tracking.statuses import status_label


def _private(response):
    # Pages about one person's parcel: never indexed by search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def track_page(request, token: str):
    page = page_cache.tracking_page(token, render=_tracking_page_html)
    if page is None:
        # The per-address limit counts links that lead nowhere (guessing, junk): a real link's
        # page comes from memory or the cache for less than the limit's own check would cost.
        verdict = hit("tracking_page", client_ip(request))
        if not verdict.allowed:
            return _private(too_many_requests(verdict.retry_after))
        response = shopper_not_found(request, kind="tracking")
        add_never_cache_headers(response)
        return _private(response)
    response = HttpResponse(page.html)
    response["ETag"] = page.etag
    # The browser keeps the page and asks again each time (If-None-Match: a 304 while it has not
    # changed); shared caches keep nothing, it is one person's parcel (tracking/page_cache.py).
    patch_cache_control(response, private=True, no_cache=True)
    return _private(get_conditional_response(request, etag=page.etag, response=response))


def _tracking_page_html(shipment) -> str:
    """The page, rendered without the request: nothing of the requester can be in it (it is
    shared by everyone who opens the link, tracking/page_cache.py)."""
    brand, language = shipment.brand, presentation.language_of(shipment.language)
    events = selectors.shipment_timeline(shipment=shipment)
    carrier_name = presentation.shopper_carrier_name(shipment)
    zone = presentation.zone_for(shipment.to_country.code)
    timeline = [
        {
            "event": event,
            "label": status_label(event.status, language),
            "attention": event.status in presentation.ATTENTION,
            "note": presentation.stall_note(events, index, language, carrier=carrier_name, zone=zone),
        }
        for index, event in enumerate(events)
    ]
    context = {
        "shipment": shipment,
        "brand": brand,
        "language": language,
        "copy": presentation.copy_for(language, brand=brand.name, number=shipment.order_number),
        "colour": presentation.safe_colour(brand.primary_color),
        "ink": presentation.ink_for(brand.primary_color),
        "status_label": status_label(shipment.status, language) if shipment.status else None,
        "attention": shipment.status in presentation.ATTENTION,
        "delivered": shipment.status in presentation.DONE,
        "steps": presentation.progress(shipment.status, language),
        "timeline": timeline,
        "zone": zone,
        "carrier_name": carrier_name,
        "guidance": guidance(shipment.status, language, brand=brand.name, carrier=carrier_name,
                             pickup_point=shipment.pickup_point),
        "show_expected_delivery": shows_expected_delivery(shipment.status),
        "carrier_link": presentation.carrier_link(shipment.carrier, shipment.tracking_number),
        "whatsapp_link": presentation.whatsapp_link(brand.whatsapp_number),
    }
    return render_to_string("tracking/track.html", context)


LOOKUP_MISSES = MissBudget(shared="tracking_lookup_brand_misses", own="tracking_lookup_address_misses")


class LookupForm(forms.Form):
    order_number = forms.CharField(max_length=64)
    postal_code = forms.CharField(max_length=16)


@never_cache
@require_http_methods(["GET", "POST"])
def brand_lookup(request, slug: str):
    address = client_ip(request)
    verdict = hit("tracking_lookup", address)
    if not verdict.allowed:
        return too_many_requests(verdict.retry_after)
    brand = selectors.brand_for_slug(slug=slug)
    if brand is None:
        return _private(shopper_not_found(request, kind="tracking"))
    not_found = False
    if request.method == "POST":
        # Before the input is looked at: the refusal cannot depend on it (module docstring).
        verdict = LOOKUP_MISSES.check(str(brand.pk), address)
        if not verdict.allowed:
            return too_many_requests(verdict.retry_after)
        form = LookupForm(request.POST)
        shipment = (
            selectors.shipment_for_order(brand=brand, **form.cleaned_data) if form.is_valid() else None
        )
        if shipment is not None:
            return redirect("tracking:page", token=shipment.tracking_token)
        # One answer for every miss (wrong order number, wrong postal code, empty field), and the
        # input is not echoed back: the page must not help anyone probe which part was right.
        LOOKUP_MISSES.miss(str(brand.pk), address)
        not_found = True
    # Nothing is known of the shopper yet: the browser's language, else the brand's.
    language = shopper_language(request, fallback=brand.default_language)
    context = {
        "brand": brand,
        "language": language,
        "copy": presentation.copy_for(language, brand=brand.name),
        "colour": presentation.safe_colour(brand.primary_color),
        "ink": presentation.ink_for(brand.primary_color),
        "not_found": not_found,
        "whatsapp_link": presentation.whatsapp_link(brand.whatsapp_number),
    }
    return _private(render(request, "tracking/lookup.html", context))
