"""Settings: account details and time zone, API keys (the raw key is shown once) and members (owners invite)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from brands import selectors, services
from brands.models import ApiKey
from brands.panel.base import PanelMixin, rule_errors
from brands.panel.forms import AccountForm, ApiKeyForm, InviteForm, TimeZoneForm
from brands.panel.language import LanguageForm
from core.errors import RuleViolation

TEMPLATE = "panel/settings/page.html"


class SettingsMixin(PanelMixin):
    def settings_page(self, *, status: int = 200, **overrides):
        account = self.account
        context = {
            "account_form": AccountForm(
                initial={"company_name": account.company_name, "country": account.country.code,
                         "vat_number": account.vat_number}
            ),
            "time_zone_form": TimeZoneForm(initial={"time_zone": account.time_zone}, country=account.country.code),
            "key_form": ApiKeyForm(),
            "language_form": LanguageForm(initial={"language": self.membership.language}),
            "api_docs_url": reverse("api-docs"),
            "invite_form": InviteForm(),
            "keys": selectors.api_key_list(account=account).select_related("created_by"),
            "members": selectors.member_list(account=account),
            "is_owner": self.is_owner,
            **overrides,
        }
        return render(self.request, TEMPLATE, context, status=status)

    def owners_only(self) -> None:
        if not self.is_owner:
            raise PermissionDenied(gettext("Only an owner of the account can do this."))


class SettingsView(SettingsMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.settings_page()


class AccountUpdateView(SettingsMixin, View):
    def post(self, request):
        self.owners_only()
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                services.account_update(account=self.account, **form.cleaned_data)
            except ValidationError as exc:
                rule_errors(form, exc)
            else:
                return self.done(reverse("panel:settings"), gettext("Account details saved."))
        return self.settings_page(account_form=form)


class TimeZoneSaveView(SettingsMixin, View):
    """The account's time zone (owners only: it is every member's clock in the panel)."""

    def post(self, request):
        self.owners_only()
        form = TimeZoneForm(request.POST, country=self.account.country.code)
        if form.is_valid():
            try:
                services.account_set_time_zone(account=self.account, time_zone=form.cleaned_data["time_zone"])
            except ValidationError as exc:
                rule_errors(form, exc)
            else:
                return self.done(reverse("panel:settings") + "#time-zone", gettext("Time zone saved."))
        return self.settings_page(time_zone_form=form)


class ApiKeyCreateView(SettingsMixin, View):
    def post(self, request):
        form = ApiKeyForm(request.POST)
        if not form.is_valid():
            return self.settings_page(key_form=form)
        key, raw = services.api_key_create(account=self.account, name=form.cleaned_data["name"], created_by=request.user)
        # Rendered, not redirected: the raw key must never sit in a session or a flash message.
        return self.settings_page(new_key=key, new_key_raw=raw)


class ApiKeyRevokeView(SettingsMixin, View):
    def post(self, request, pk: int):
        try:
            key = services.api_key_revoke(account=self.account, key_id=pk)
        except ApiKey.DoesNotExist:
            raise Http404("No such API key.") from None
        return self.done(reverse("panel:settings") + "#api-keys", gettext("API key “%(name)s” revoked.") % {"name": key.name})


class MemberInviteView(SettingsMixin, View):
    def post(self, request):
        self.owners_only()
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                user = services.member_invite(account=self.account, email=form.cleaned_data["email"],
                                              invited_by=request.user)
            except (ValidationError, RuleViolation) as exc:
                rule_errors(form, exc)
            else:
                return self.done(reverse("panel:settings") + "#members",
                                 gettext("Invitation sent to %(email)s. They choose their password from the e-mail.") % {"email": user.email})
        return self.settings_page(invite_form=form)
