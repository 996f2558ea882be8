"""The Inbox: conversations with shoppers who wrote, newest first, unread ones marked; a thread
beside its shipment, with a reply box open during the shopper's 24-hour window."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin
from core.errors import RuleViolation
from messaging.conversations.selectors import conversation_list, conversation_thread, threads
from messaging.conversations.services import (
    MAX_REPLY_LENGTH,
    conversation_mark_read,
    conversation_reply,
    window_closes_at,
    window_open,
)
from messaging.dispatch.optouts import is_opted_out


class InboxSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=254,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Phone, e-mail or order number")}))
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *((b.pk, b.name) for b in brands)]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=MAX_REPLY_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


class InboxView(PanelMixin, TemplateView):
    template_name = "panel/inbox/list.html"

    def get_context_data(self, **kwargs):
        brands = list(brand_selectors.brand_list(account=self.account))
        search = InboxSearchForm(self.request.GET or None, brands=brands)
        values = search.cleaned_data if search.is_valid() else {}
        rows = conversation_list(account=self.account, brand=values.get("brand"), search=values.get("q"))
        page = self.paginate(rows)
        last = {pk: items[-1] if items else None for pk, items in threads(list(page.object_list)).items()}
        for conversation in page.object_list:
            conversation.last_item = last.get(conversation.pk)
        return super().get_context_data(search=search, filtered=any(values.values()), page=page, **kwargs)


class ConversationView(PanelMixin, TemplateView):
    """One thread (the account's, else 404); opening it marks it read."""

    template_name = "panel/inbox/thread.html"

    def conversation(self):
        if not hasattr(self, "_conversation"):
            self._conversation = get_object_or_404(conversation_list(account=self.account), pk=self.kwargs["pk"])
        return self._conversation

    def get_context_data(self, form=None, **kwargs):
        conversation = self.conversation()
        items = conversation_thread(conversation)
        conversation_mark_read(conversation=conversation)
        now = timezone.now()
        return super().get_context_data(
            conversation=conversation, items=items, shipment=conversation.shipment,
            window_open=window_open(conversation, now=now), window_closes_at=window_closes_at(conversation),
            # A shopper who sent STOP cannot be answered (conversation_reply refuses): no reply box.
            opted_out=is_opted_out(brand=conversation.brand, recipient=conversation.recipient),
            form=form or ReplyForm(), **kwargs)

    def post(self, request, pk: int):
        conversation = self.conversation()
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                conversation_reply(conversation=conversation, text=form.cleaned_data["text"])
            except RuleViolation as exc:
                form.add_error("text", exc.message)
            else:
                return self.done(reverse("panel:conversation", args=[conversation.pk]),
                                 gettext("Answer sent: it goes out through the outbox like every message."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


