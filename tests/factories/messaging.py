"""Factories of the messaging app. Register a tenant builder for every model reachable by an API URL."""

import factory
from django.utils import timezone

from core import field_encryption
from messaging.models import (
    Channel,
    ChannelCountry,
    ChannelSetting,
    Conversation,
    InboundMessage,
    Message,
    MessagePricing,
    MessageState,
    OptOut,
    StatusToggle,
    TemplateOverride,
    WhatsAppConsent,
    WhatsAppTemplate,
    WhatsAppSender,
    WhatsAppUser,
)
from tests.factories.brands import AccountFactory, BrandFactory
from tests.factories.registry import register
from tracking.statuses import ALL_CODES


class ChannelSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelSetting
        django_get_or_create = ("brand", "channel")

    brand = factory.SubFactory(BrandFactory)
    channel = Channel.EMAIL
    enabled = True


class ChannelCountryFactory(factory.django.DjangoModelFactory):
    """A destination country with every status on, like the service adds one."""

    class Meta:
        model = ChannelCountry
        skip_postgeneration_save = True  # the toggles point at the country; the country itself is unchanged

    setting = factory.SubFactory(ChannelSettingFactory)
    country = "NL"

    @factory.post_generation
    def toggles(obj, create, extracted, **kwargs):
        if not create:
            return
        enabled = dict.fromkeys(ALL_CODES, True) if extracted is None else extracted
        StatusToggle.objects.bulk_create(
            [StatusToggle(channel_country=obj, status=status, enabled=on) for status, on in enabled.items()]
        )


class StatusToggleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusToggle

    channel_country = factory.SubFactory(ChannelCountryFactory, toggles={})
    status = "delivered"
    enabled = True


class WhatsAppConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhatsAppConsent

    account = factory.SubFactory(AccountFactory)
    accept_pricing = True
    accept_phone_data_use = True
    given_by = None
    given_by_label = "owner@example.com"
    given_at = factory.LazyFunction(timezone.now)
    plan = factory.SelfAttribute("account.plan")


class TemplateOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateOverride

    brand = factory.SubFactory(BrandFactory)
    channel = Channel.SMS
    status = "delivered"
    language = "en"
    subject = ""
    body = "<<companyname>>: delivered! <<tracking_url>> Stop: <<unsubscribe_url>>"


register(ChannelSetting)(lambda account: ChannelSettingFactory(brand=BrandFactory(account=account)))
register(ChannelCountry)(
    lambda account: ChannelCountryFactory(setting=ChannelSettingFactory(brand=BrandFactory(account=account)))
)
register(StatusToggle)(
    lambda account: StatusToggleFactory(
        channel_country=ChannelCountryFactory(
            setting=ChannelSettingFactory(brand=BrandFactory(account=account)), toggles={}
        )
    )
)
register(WhatsAppConsent)(lambda account: WhatsAppConsentFactory(account=account))
register(TemplateOverride)(lambda account: TemplateOverrideFactory(brand=BrandFactory(account=account)))


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    shipment = factory.SubFactory("tests.factories.tracking.ShipmentFactory")
    brand = factory.SelfAttribute("shipment.brand")
    channel = Channel.SMS
    trigger_status = "out_for_delivery"
    recipient = factory.SelfAttribute("shipment.recipient_phone")
    body = "Acme: your parcel is out for delivery."
    state = MessageState.QUEUED


class OptOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OptOut

    brand = factory.SubFactory(BrandFactory)
    recipient = "+31612345678"
    source = OptOut.Source.LINK


class InboundMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboundMessage

    provider = "whatsapp_cloud"
    provider_message_id = factory.Sequence(lambda n: f"wamid.IN{n:06d}")
    channel = Channel.WHATSAPP
    sender = "+31612345678"
    text = "STOP"


class MessagePricingFactory(factory.django.DjangoModelFactory):
    """Meta's word on a WhatsApp message (a status webhook's `pricing`)."""

    class Meta:
        model = MessagePricing

    message = factory.SubFactory(MessageFactory, channel=Channel.WHATSAPP)
    billable = True
    pricing_model = "PMP"
    category = "utility"
    pricing_type = MessagePricing.Type.REGULAR
    seen_at = factory.LazyFunction(timezone.now)


class WhatsAppUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WhatsAppUser
        django_get_or_create = ("user_id",)

    user_id = factory.Sequence(lambda n: f"US.1349120865530274{n:04d}")
    phone = "+31612345678"
    seen_at = factory.LazyFunction(timezone.now)


register(Message)(lambda account: MessageFactory(shipment__brand=BrandFactory(account=account)))
register(OptOut)(lambda account: OptOutFactory(brand=BrandFactory(account=account)))


class WhatsAppTemplateFactory(factory.django.DjangoModelFactory):
    """What Meta says of one template (platform data, not a tenant's: no tenant builder)."""

    class Meta:
        model = WhatsAppTemplate
        django_get_or_create = ("business_account_id", "name", "language")
        skip_postgeneration_save = True

    business_account_id = "waba-platform"
    name = "pc_out_for_delivery_v3"
    language = "en"
    meta_id = factory.Sequence(lambda n: str(9000 + n))
    status = "APPROVED"
    category = "UTILITY"
    quality = "GREEN"
    synced_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def forget_cached(obj, create, extracted, **kwargs):
        from messaging.whatsapp_gate import forget

        forget(obj.business_account_id)  # rows written behind the services' back: the gate reads them again


class WhatsAppSenderFactory(factory.django.DjangoModelFactory):
    """A brand's own WhatsApp number; `token` is the plain access token (stored encrypted)."""

    class Meta:
        model = WhatsAppSender
        exclude = ("token",)

    brand = factory.SubFactory(BrandFactory)
    phone_number_id = factory.Sequence(lambda n: f"10{n:010d}")
    business_account_id = factory.Sequence(lambda n: f"20{n:010d}")
    display_phone_number = factory.Sequence(lambda n: f"+31 20 {n:07d}")
    verified_name = factory.SelfAttribute("brand.name")
    quality_rating = "GREEN"
    token = factory.Sequence(lambda n: f"EAAGbrandtoken{n:08d}ZZZZ")
    access_token_encrypted = factory.LazyAttribute(lambda o: field_encryption.encrypt(o.token))
    connected_at = factory.LazyFunction(timezone.now)


register(WhatsAppSender)(lambda account: WhatsAppSenderFactory(brand=BrandFactory(account=account)))


class ConversationFactory(factory.django.DjangoModelFactory):
    """A shopper who wrote to the brand an hour ago (the reply window is open)."""

    class Meta:
        model = Conversation

    brand = factory.SubFactory(BrandFactory)
    recipient = "+31612345678"
    channel = Channel.WHATSAPP
    language = "en"
    last_activity_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    last_inbound_at = factory.SelfAttribute("last_activity_at")


register(Conversation)(lambda account: ConversationFactory(brand=BrandFactory(account=account)))
