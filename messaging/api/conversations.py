"""GET /api/v1/conversations/ (`?brand=&recipient=&search=`) and /conversations/{id}/: one thread
per (brand, shopper) who wrote, newest activity first, each with its inbound and outbound
messages in order (the threads of a page are read in two queries, selectors.threads)."""

from __future__ import annotations

from datetime import datetime

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from brands.scoping import AccountScopedAPIMixin
from core.api_fields import object_id
from messaging.conversations.models import Conversation
from messaging.conversations.selectors import conversation_list, threads
from messaging.conversations.services import window_closes_at


class ThreadItemSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["in", "out"], help_text="`in`: the shopper wrote; `out`: to them.")
    at = serializers.DateTimeField()
    channel = serializers.CharField()
    text = serializers.CharField()
    message = serializers.IntegerField(allow_null=True, help_text="Outbound: the message's id (GET /messages/{id}/).")
    kind = serializers.CharField(allow_null=True, help_text="Outbound: `notification` or `session` (a merchant's "
                                                           "answer inside the 24-hour window).")
    state = serializers.CharField(allow_null=True, help_text="Outbound: the message's state.")
    action = serializers.CharField(allow_null=True, help_text="Inbound: what it was understood as (`stop`, "
                                                             "`start`, `track`, `help`, `yes`, `no`, `unknown`).")
    reply = serializers.CharField(allow_null=True, help_text="Inbound: Parcelcast's automatic answer, if any.")

    def to_representation(self, item):
        message, inbound = item.message, item.inbound
        return {
            "direction": item.direction, "at": serializers.DateTimeField().to_representation(item.at),
            "channel": item.channel, "text": item.text,
            "message": message.pk if message else None, "kind": message.kind if message else None,
            "state": message.state if message else None,
            "action": inbound.action if inbound else None, "reply": (inbound.reply or None) if inbound else None,
        }


class ConversationOutputSerializer(serializers.ModelSerializer):
    unread = serializers.BooleanField(read_only=True, help_text="The shopper wrote since the thread was last read.")
    reply_window_closes_at = serializers.SerializerMethodField(
        help_text="Until when a free answer may be sent (24 hours after the shopper's last message); null: never.")
    messages = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = ("id", "brand", "recipient", "shipment", "channel", "language", "last_activity_at",
                  "last_inbound_at", "last_read_at", "unread", "reply_window_closes_at", "messages")

    def get_reply_window_closes_at(self, conversation) -> datetime | None:
        closes = window_closes_at(conversation)
        return serializers.DateTimeField().to_representation(closes) if closes else None

    @extend_schema_field(ThreadItemSerializer(many=True))
    def get_messages(self, conversation) -> list:
        items = self.context["threads"].get(conversation.pk, [])
        return ThreadItemSerializer(items, many=True).data


class ConversationFilterSerializer(serializers.Serializer):
    brand = object_id(required=False)
    recipient = serializers.CharField(required=False, max_length=254, help_text="The shopper's phone number (E.164).")
    search = serializers.CharField(required=False, max_length=254,
                                   help_text="A phone number, an e-mail address or an order number.")


@extend_schema(parameters=[ConversationFilterSerializer])
class ConversationViewSet(AccountScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Conversations with shoppers who wrote, newest activity first, with their messages in order."""

    scoped_model = Conversation
    serializer_class = ConversationOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        if self.action != "list":
            return conversation_list(account=self.account)
        filters = ConversationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return conversation_list(account=self.account, **filters.validated_data)

    def get_serializer(self, *args, **kwargs):
        if args and not getattr(self, "swagger_fake_view", False):
            rows = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())["threads"] = threads(list(rows))
        return super().get_serializer(*args, **kwargs)
