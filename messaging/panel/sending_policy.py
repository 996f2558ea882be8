"""Tracking messages > Sending policy: a brand's quiet hours, channel fallback, cap per shipment,
consolidation and "ready to ship" moment, on one form.

The form posts the whole document to messaging.services.sending_policy, like the API's PUT: a
refusal is shown beside each field it names (400, nothing saved), a success redirects back with
a notice. The fields are read as typed: the service alone decides what is valid.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views import View

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin
from core.errors import RuleViolation
from messaging.models import Channel, ChannelSetting, ReadyToShip
from messaging.policy_rules.document import Policy
from messaging.policy_selectors import policy_for
from messaging.services.sending_policy import sending_policy_replace
from tracking.statuses import GROUP_OF, Group, Status

PAGE = "panel/notifications/policy.html"
_SLOTS = 3  # one select per position of the fallback order


class SendingPolicyHome(PanelMixin, View):
    """/app/notifications/policy/: the chosen (or first) brand's sending policy."""

    def get(self, request):
        brands = list(brand_selectors.brand_list(account=self.account))
        if not brands:
            return redirect("panel:notifications-home")
        brand = next((each for each in brands if str(each.pk) == request.GET.get("brand")), brands[0])
        return redirect("panel:notifications-policy", brand.pk)


class SendingPolicyView(PanelMixin, View):
    def get(self, request, brand_id: int):
        brand = self.brand_or_404(brand_id)
        policy = policy_for(brand=brand)
        return self.page(brand, policy.as_document(), stored=policy)

    def post(self, request, brand_id: int):
        brand = self.brand_or_404(brand_id)
        reset = "reset" in request.POST
        document = {} if reset else document_from_post(request.POST)
        try:
            sending_policy_replace(brand=brand, document=document)
        except RuleViolation as exc:
            errors: dict[str, list[str]] = {}
            for violation in exc.violations:
                errors.setdefault(violation.field.replace(".", "_"), []).append(violation.message)
            return self.page(brand, document, stored=policy_for(brand=brand), errors=errors, status=400)
        messages.success(request, gettext("Sending policy back to the defaults.") if reset else gettext("Sending policy saved."))
        return redirect(reverse("panel:notifications-policy", args=[brand.pk]))

    def page(self, brand, document: dict, *, stored: Policy, errors: dict | None = None, status: int = 200):
        """The form showing `document` (stored, or as posted), beside a summary of what is stored."""
        enabled = dict(ChannelSetting.objects.for_account(self.account).filter(brand=brand)
                       .values_list("channel", "enabled"))
        order = list(document["fallback"]["order"])
        context = {
            "brand": brand,
            "brands": brand_selectors.brand_list(account=self.account),
            "tabs": [(code, label, enabled.get(code, False)) for code, label in Channel.choices],
            "policy_page": True,
            "document": document,
            "errors": errors or {},
            "status_groups": _status_groups(set(document["quiet_hours"]["except"])),
            "channels": Channel.choices,
            "order_slots": [order[index] if index < len(order) else "" for index in range(_SLOTS)],
            "ready_choices": ReadyToShip.choices,
            "summary": summary(stored),
        }
        return render(self.request, PAGE, context, status=status)


def document_from_post(post: QueryDict) -> dict:
    """The policy document the form describes, values as typed (numbers when they are numbers)."""
    return {
        "quiet_hours": {
            "enabled": post.get("quiet_hours_enabled") == "on",
            "start": post.get("quiet_hours_start", "").strip(),
            "end": post.get("quiet_hours_end", "").strip(),
            "except": post.getlist("quiet_hours_except"),
        },
        "fallback": {
            "enabled": post.get("fallback_enabled") == "on",
            "order": [code for code in (post.get(f"fallback_order_{index}", "") for index in range(_SLOTS)) if code],
            "after_minutes": _number(post.get("fallback_after_minutes", "")),
        },
        "max_messages_per_shipment": _number(post.get("max_messages_per_shipment", ""), blank=None),
        "consolidation_seconds": _number(post.get("consolidation_seconds", ""), blank=0),
        "ready_to_ship": post.get("ready_to_ship", ""),
    }


def summary(policy: Policy) -> list[tuple[str, str, bool]]:
    """(rule, what it does, whether it changes anything) for the side panel."""
    quiet, fallback, cap = policy.quiet_hours, policy.fallback, policy.max_messages_per_shipment
    excepted = len(quiet.except_statuses)
    off = gettext("Off")
    if quiet.enabled:
        hours = gettext("%(start)s → %(end)s shopper's time") % {"start": f"{quiet.start:%H:%M}", "end": f"{quiet.end:%H:%M}"}
        if excepted:
            hours += ngettext(", %(count)d update sent anyway", ", %(count)d updates sent anyway", excepted) % {
                "count": excepted}
    fallback_text = gettext("%(order)s after %(minutes)s min") % {
        "order": " → ".join(str(Channel(code).label) for code in fallback.order), "minutes": fallback.after_minutes}
    return [
        (gettext("Quiet hours"), hours if quiet.enabled else off, quiet.enabled),
        (gettext("Channel fallback"), fallback_text if fallback.enabled else off, fallback.enabled),
        (gettext("Messages per shipment"), gettext("At most %(cap)s") % {"cap": cap} if cap else gettext("No limit"),
         cap is not None),
        (gettext("Consolidation"), _duration(policy.consolidation_seconds) if policy.consolidation_seconds else off,
         bool(policy.consolidation_seconds)),
        (gettext("Ready to ship"), ReadyToShip(policy.ready_to_ship).label,
         policy.ready_to_ship != ReadyToShip.LABEL_CREATED),
    ]


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{seconds} s" if seconds else ""]
    return " ".join(part for part in parts if part)


def _number(text: str, *, blank: int | None | str = "") -> int | None | str:
    text = text.strip()
    if not text:
        return blank
    try:
        return int(text)
    except ValueError:
        return text  # the service names it: "Give a whole number ..."


def _status_groups(excepted: set[str]) -> list[dict]:
    return [
        {"label": label, "statuses": [(code, name, code in excepted) for code, name in Status.choices
                                      if GROUP_OF[code] == group]}
        for group, label in Group.choices
    ]
