"""The shopper's pages: no login. `/track/<token>/` shows one shipment (the unguessable token is
the key); `/track/b/<brand_slug>/` finds one by order number + postal code and answers a
mismatch with one neutral message, whichever part was wrong."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.ratelimit import client_ip, exceeded, hit, ratelimit, too_many_requests
from tracking import presentation, selectors
from tracking.statuses import status_label


def _private(response):
    # Pages about one person's parcel: never indexed by search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@ratelimit("tracking_page")
@never_cache
@require_GET
def track_page(request, token: str):
    shipment = selectors.shipment_for_token(token=token)
    if shipment is None:
        raise Http404("No such tracking page.")
    brand, language = shipment.brand, presentation.language_of(shipment.language)
    events = selectors.shipment_timeline(shipment=shipment)
    timeline = [
        {
            "event": event,
            "label": status_label(event.status, language),
            "attention": event.status in presentation.ATTENTION,
        }
        for event in events
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
        "zone": presentation.zone_for(shipment.to_country.code),
        "carrier_name": presentation.shopper_carrier_name(shipment),
        "carrier_link": presentation.carrier_link(shipment.carrier, shipment.tracking_number),
        "whatsapp_link": presentation.whatsapp_link(brand.whatsapp_number),
    }
    return _private(render(request, "tracking/track.html", context))


LOOKUP_MISSES = "tracking_lookup_brand_misses"


class LookupForm(forms.Form):
    order_number = forms.CharField(max_length=64)
    postal_code = forms.CharField(max_length=16)


@never_cache
@require_http_methods(["GET", "POST"])
def brand_lookup(request, slug: str):
    # Against enumeration of order numbers: every request counts per client address (also for
    # slugs that do not exist), and misses count per brand, so many addresses together cannot
    # guess either. Past a limit: 429 with Retry-After, whatever the input.
    verdict = hit("tracking_lookup", client_ip(request))
    if not verdict.allowed:
        return too_many_requests(verdict.retry_after)
    brand = selectors.brand_for_slug(slug=slug)
    if brand is None:
        raise Http404("No such brand.")
    not_found = False
    if request.method == "POST":
        brand_verdict = exceeded(LOOKUP_MISSES, brand.slug)
        if not brand_verdict.allowed:
            return too_many_requests(brand_verdict.retry_after)
        form = LookupForm(request.POST)
        shipment = (
            selectors.shipment_for_order(brand=brand, **form.cleaned_data) if form.is_valid() else None
        )
        if shipment is not None:
            return redirect("tracking:page", token=shipment.tracking_token)
        # One answer for every miss (wrong order number, wrong postal code, empty field), and the
        # input is not echoed back: the page must not help anyone probe which part was right.
        hit(LOOKUP_MISSES, brand.slug)
        not_found = True
    language = presentation.language_of(brand.default_language)
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
