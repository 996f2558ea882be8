"""Every page of the panel a member can open, for the tests that walk them all (renders, query
budget, every language)."""

from django.urls import reverse


def every_page_url(brand, shipment) -> list[str]:
    return [
        reverse("panel:dashboard"),
        reverse("panel:brand-list"),
        reverse("panel:brand-create"),
        reverse("panel:brand-edit", args=[brand.pk]),
        reverse("panel:notifications", args=[brand.pk, "email"]),
        reverse("panel:notifications", args=[brand.pk, "sms"]),
        reverse("panel:notifications", args=[brand.pk, "whatsapp"]),
        reverse("panel:notifications-policy", args=[brand.pk]),
        reverse("panel:template-editor", args=[brand.pk, "email"]),
        reverse("panel:template-editor", args=[brand.pk, "sms"]),
        reverse("panel:template-editor", args=[brand.pk, "whatsapp"]),
        reverse("panel:shipment-list"),
        reverse("panel:shipment-create"),
        reverse("panel:shipment-detail", args=[shipment.pk]),
        reverse("panel:shipment-messages", args=[shipment.pk]),
        reverse("panel:message-list"),
        reverse("panel:outbox"),
        reverse("panel:inbox"),
        reverse("panel:requests"),
        reverse("panel:billing"),
        reverse("panel:settings"),
        reverse("panel:webhooks"),
    ]
