"""Messaging models, one module per concern; import them from here."""

from messaging.models.channels import (  # noqa: F401
    Channel,
    ChannelCountry,
    ChannelSetting,
    StatusToggle,
)
from messaging.models.consent import WhatsAppConsent  # noqa: F401
from messaging.models.templates import EDITABLE_CHANNELS, TemplateOverride  # noqa: F401
from messaging.models.messages import (  # noqa: F401,E402
    STATE_RANK,
    InboundMessage,
    Message,
    MessageKind,
    MessageState,
    OptOut,
)
from messaging.models.sending_policy import ReadyToShip, SendingPolicy  # noqa: F401
from messaging.conversations.models import Conversation  # noqa: F401
