"""Provider webhooks: WhatsApp Cloud API and Twilio. Signed or refused (403, nothing stored)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.metrics.instruments import observe_webhook_lag
from core.parsers import loads_provider_json
from core.ratelimit import client_ip, hit, too_many_requests
from messaging.dispatch.inbound import handle_inbound
from messaging.dispatch.status_intake import intake_record
from messaging.providers import twilio_sms, whatsapp
from messaging.services.whatsapp_template_events import whatsapp_template_event_apply
from messaging.webhooks import twilio_parse, whatsapp_parse

logger = logging.getLogger(__name__)

# Webhook bodies are small; a bigger one is refused before it is parsed.
MAX_WEBHOOK_BYTES = 256 * 1024


def provider_webhook(verified: Callable[[HttpRequest], bool]):
    """What every provider webhook does before reading a POST: CSRF-exempt (the provider signs
    instead), size-capped (413) and signed (403 with nothing stored).

    The per-address rate limit counts only what is not signed by the provider (bad signatures,
    oversize bodies, GET verification): a provider sends thousands of statuses a minute from a
    few addresses and must never get a 429 (Meta would retry and lag), while a flood of junk from
    one address is refused before it costs more than a signature check."""
    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and len(request.body) <= MAX_WEBHOOK_BYTES and verified(request):
                return view(request, *args, **kwargs)
            verdict = hit("webhook", client_ip(request))
            if not verdict.allowed:
                return too_many_requests(verdict.retry_after)
            if request.method == "POST":
                if len(request.body) > MAX_WEBHOOK_BYTES:
                    return HttpResponse("payload too large", status=413)
                return HttpResponseForbidden("bad signature")
            return view(request, *args, **kwargs)
        return csrf_exempt(guarded)
    return decorate


def _whatsapp_verified(request) -> bool:
    return whatsapp_parse.verify_signature(request.body, request.headers.get("X-Hub-Signature-256"),
                                           settings.WHATSAPP_APP_SECRET)


def _twilio_verified(request) -> bool:
    """Twilio signs the URL it called: behind a proxy that is the public one, so try both."""
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature")
    if not token or not signature:
        return False
    urls = {request.build_absolute_uri(), settings.PUBLIC_BASE_URL + request.get_full_path()}
    return any(twilio_parse.verify_signature(url, request.POST, signature, token) for url in urls)


@provider_webhook(_whatsapp_verified)
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        challenge = whatsapp_parse.verify_challenge(request.GET, settings.WHATSAPP_VERIFY_TOKEN)
        if challenge is None:
            return HttpResponseForbidden("verification failed")
        return HttpResponse(challenge, content_type="text/plain")
    try:
        parsed = whatsapp_parse.parse(loads_provider_json(request.body))
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest("not a WhatsApp webhook")
    # Webhook lag: Meta's time of each status to its recording here (Twilio's callbacks carry no time).
    received = timezone.now()
    observe_webhook_lag(whatsapp.PROVIDER, [(received - update.at).total_seconds() for update in parsed.statuses])
    # Statuses: recorded in one INSERT before we answer, applied in bulk by a worker (status_intake).
    intake_record(parsed.statuses, channel=whatsapp.WhatsAppCloudProvider.channel, provider=whatsapp.PROVIDER,
                  timed=True)
    # Shoppers' replies and template events: few, applied here as before.
    for inbound in parsed.inbound:
        handle_inbound(inbound, channel=whatsapp.WhatsAppCloudProvider.channel, provider=whatsapp.PROVIDER)
    for event in parsed.templates:
        whatsapp_template_event_apply(event)
    return HttpResponse("ok", content_type="text/plain")


@provider_webhook(_twilio_verified)
@require_POST
def twilio_status(request):
    try:
        update = twilio_parse.parse_status(request.POST)
    except (KeyError, ValueError):
        return HttpResponseBadRequest("not a Twilio status callback")
    # Our message id, put in the (signed) StatusCallback URL when it was sent.
    update = replace(update, callback_data=request.GET.get("m", ""))
    intake_record([update], channel=twilio_sms.TwilioSmsProvider.channel, provider=twilio_sms.PROVIDER, timed=False)
    return HttpResponse(status=204)


@provider_webhook(_twilio_verified)
@require_POST
def twilio_inbound(request):
    try:
        inbound = twilio_parse.parse_inbound(request.POST)
    except (KeyError, ValueError):
        return HttpResponseBadRequest("not a Twilio inbound message")
    handle_inbound(inbound, channel=twilio_sms.TwilioSmsProvider.channel, provider=twilio_sms.PROVIDER)
    # We answer through the API (same path as WhatsApp): an empty TwiML response.
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")
