"""WhatsApp: Meta template messages from the platform's templates (never edited by merchants),
positional parameters filled from the tags, paced per sending number, one charge per message the
provider accepts. The account needs a plan that includes it and its consent."""

from __future__ import annotations

from messaging.channels.base import MessageChannel, message_unsubscribe_url


class WhatsAppChannel(MessageChannel):
    code = "whatsapp"
    editable = False
    reports_reads = True
    billable = True
    needs_consent = True
    sandbox_receipts = (("delivered", 3), ("read", 20))
    falls_back = True
    # Billed per message: a new country starts with the news a shopper acts on, not all eleven.
    starting_statuses = ("out_for_delivery", "delivery_failed", "ready_for_pickup", "delivered")
    session_lists = True
    session_window = True
    # PROVIDERS.md: 131026 not on WhatsApp (undeliverable), 131021 the recipient is our own
    # number, 131030 not in the test number's allowed list, 131049 held back by Meta for this
    # user (engagement). Not 131050 (the user stopped us: an opt-out) nor the bad-request codes
    # (100, 131008, 131009: our fault, the same on any channel).
    unreachable_codes = frozenset({"131026", "131021", "131030", "131049"})

    credentials = ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID")

    def provider(self, get):
        from messaging.providers.sandbox import SandboxWhatsAppProvider
        from messaging.providers.whatsapp import WhatsAppCloudProvider

        if not all(get(name) for name in self.credentials):
            return SandboxWhatsAppProvider()
        return WhatsAppCloudProvider(access_token=get("WHATSAPP_ACCESS_TOKEN"),
                                     phone_number_id=get("WHATSAPP_PHONE_NUMBER_ID"),
                                     base_url=get("WHATSAPP_API_BASE_URL"))

    def unit_price(self, account, at):
        from messaging.policy import get_policy

        return get_policy().whatsapp_unit_price(account, at)

    def brand_providers(self, brand_ids: set[int]) -> dict:
        from messaging.senders import providers_for_brands

        # Brands that connected their own number send from it (messaging/senders.py).
        return providers_for_brands(brand_ids)

    def receiving_sender(self, number_id: str):
        from messaging.senders import sender_for_number

        return sender_for_number(number_id)

    def platform_messages(self, messages):
        return messages.filter(brand__whatsapp_sender__isnull=True)

    def rate_limit(self, provider=None) -> tuple[str, float]:
        from django.conf import settings

        from messaging import throttle

        # Meta limits each business number: 80/s by default, 1,000/s once upgraded. Every number
        # has its own bucket: a brand's own number never uses the platform number's rate.
        return (throttle.whatsapp_key(self.sending_number_id(provider)), float(settings.WHATSAPP_MESSAGES_PER_SECOND))

    @staticmethod
    def sending_number_id(provider=None) -> str:
        """The phone number id a provider sends from: a brand's own, or the platform's ("sandbox"
        for the sandbox provider of a platform without credentials)."""
        from django.conf import settings

        return getattr(provider, "phone_number_id", "") or settings.WHATSAPP_PHONE_NUMBER_ID or "sandbox"

    def gate(self, messages) -> dict[int, str]:
        from messaging.whatsapp_gate import over_messaging_limit, verdicts

        # Template messages only: a session reply (free-form, inside the 24-hour window) has no
        # template to approve and reaches a shopper who wrote first. Meta must have approved the
        # template, as a utility one (business accounts with rows only), and the portfolio must
        # have room in its 24-hour messaging limit for a new shopper.
        templated = [m for m in messages if m.whatsapp_template]
        found = verdicts(templated)
        return found | over_messaging_limit([m for m in templated if m.pk not in found])

    def outbound_fields(self, message) -> dict:
        from messaging.providers.base import WhatsAppTemplateCall
        from messaging.whatsapp_templates import meta_language_code, unsubscribe_button_parameter

        if message.kind == "session":  # a free-form answer inside the 24-hour window: no template
            return {}
        # The unsubscribe link goes in the template's URL button: only its end is sent.
        return {"whatsapp": WhatsAppTemplateCall(
            name=message.whatsapp_template,
            language_code=message.whatsapp_language or meta_language_code(message.language),
            parameters=tuple(message.whatsapp_parameters),
            header_image=message.whatsapp_header_image,
            url_button=unsubscribe_button_parameter(message_unsubscribe_url(message)),
        )}

    def allowed_for(self, account) -> bool:
        from messaging.channels.whatsapp_account import whatsapp_usable

        return whatsapp_usable(account=account)

    def check_settings(self, *, account, brand, enabled: bool, countries: set[str]) -> None:
        from messaging.services.plan_rules import check_whatsapp_settings

        check_whatsapp_settings(account=account, brand=brand, enabled=enabled, countries=countries)

    def platform_body(self, status: str, language: str) -> str:
        from messaging.template_selectors import whatsapp_body

        return whatsapp_body(status, language)

    def platform_preview(self, status: str, language: str, values: dict[str, str]) -> str:
        from messaging.whatsapp_templates import whatsapp_parameters, whatsapp_preview, whatsapp_template

        template = whatsapp_template(status)
        return whatsapp_preview(template, language, values, whatsapp_parameters(template, values, language))

    def settings_context(self, account) -> dict:
        from django.utils import timezone

        from messaging.channels.whatsapp_account import latest_whatsapp_consent, whatsapp_countries_in_use
        from messaging.policy import format_money, get_policy

        policy = get_policy()
        limits = policy.limits(account.plan)
        price = policy.whatsapp_unit_price(account, timezone.now()) if limits.whatsapp_allowed else None
        in_use = sorted(whatsapp_countries_in_use(account=account)) if limits.whatsapp_allowed else []
        limit = limits.max_whatsapp_countries
        return {
            "limits": limits,
            "plan_name": limits.plan_name or account.get_plan_display(),
            "consent": latest_whatsapp_consent(account=account) if limits.whatsapp_allowed else None,
            "price": f"{price[1]} {format_money(price[0])}" if price else "",
            "in_use": in_use,
            "limit_full": limit is not None and len(in_use) >= limit,
            "meter": [index < len(in_use) for index in range(max(limit or 0, len(in_use)))],
        }

    def compose(self, composed, *, brand, resolved, values, status) -> None:
        from messaging.whatsapp_templates import (
            fallback_ttl_minutes,
            meta_language_code,
            whatsapp_parameters,
            whatsapp_preview,
            whatsapp_template,
            whatsapp_template_name,
        )

        template = whatsapp_template(status)
        fallback = composed.fallback_policy
        if fallback is not None and fallback.enabled and fallback.after(self.code):
            # The brand falls back after `after_minutes`: a variant Meta stops trying before then,
            # so a late delivery never shows next to the replacement (no photo: that variant
            # lives 12 hours; the tracking page shows the photo).
            composed.whatsapp_header_image = ""
            composed.whatsapp_template = whatsapp_template_name(
                status, ttl_minutes=fallback_ttl_minutes(fallback.after_minutes))
        else:
            # With a delivery photo the image-header variant of the template carries it.
            composed.whatsapp_header_image = composed.proof_of_delivery_url
            composed.whatsapp_template = whatsapp_template_name(status, has_photo=bool(composed.whatsapp_header_image))
        composed.whatsapp_language = meta_language_code(resolved.language)
        composed.whatsapp_parameters = whatsapp_parameters(template, values, resolved.language)
        composed.body = whatsapp_preview(template, resolved.language, values, composed.whatsapp_parameters)
