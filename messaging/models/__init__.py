"""Messaging models, one module per concern; import them from here."""

from messaging.conversations.models import Conversation  # noqa: F401
from messaging.models.channels import (  # noqa: F401
    Channel,
    ChannelCountry,
    ChannelSetting,
    StatusToggle,
)
from messaging.models.consent import WhatsAppConsent  # noqa: F401
from messaging.models.identities import WhatsAppUser  # noqa: F401
from messaging.models.messages import (  # noqa: F401
    STATE_RANK,
    InboundMessage,
    Message,
    MessageKind,
    MessageState,
    OptOut,
)
from messaging.models.pricing import MessagePricing  # noqa: F401
from messaging.models.senders import WhatsAppSender  # noqa: F401
from messaging.models.sending_policy import ReadyToShip, SendingPolicy  # noqa: F401
from messaging.models.shopper_asks import AskKind, AskStep, ShopperAsk  # noqa: F401
from messaging.models.status_intake import StatusIntake  # noqa: F401
from messaging.models.shopper_requests import (  # noqa: F401
    DeliveryRating,
    ShopperRequest,
    ShopperRequestKind,
    ShopperRequestState,
)
from messaging.models.templates import EDITABLE_CHANNELS, TemplateOverride  # noqa: F401
from messaging.models.whatsapp_templates import (  # noqa: F401
    TemplateCategory,
    TemplateQuality,
    TemplateStatus,
    WhatsAppTemplate,
)
