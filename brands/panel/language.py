"""The merchant panel's language (Django's i18n): the member's saved choice, else the browser's.

`PanelLanguageMiddleware` runs after authentication and activates a language for the panel
(/app/) and the log-in, sign-up and password pages (/accounts/) only: the API answers in English
whatever the browser says, and the shopper pages choose their own language (core/languages.py).

The order: the member's saved `Membership.language`; else Django's own choice from the request
(the language cookie the log-in page's picker sets through `set_language`, then Accept-Language);
else English. `LanguageSaveView` saves the choice (an htmx save that reloads the page in it).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from brands import services
from brands.models import Membership
from brands.panel.base import PanelMixin

PANEL_PREFIXES = ("/app/", "/accounts/")
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def saved_language(request) -> str:
    """The signed-in member's saved language ("" when none). The membership row is the one the
    panel's tenant scoping reads next, so it is kept for it: one query, not two."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    membership = Membership.objects.select_related("account").filter(user=user).first()
    if membership is None:
        return ""
    request._parcelcast_account = membership.account
    return membership.language if membership.language in LANGUAGE_CODES else ""


def panel_language(request) -> str:
    return saved_language(request) or translation.get_language_from_request(request) or settings.LANGUAGE_CODE


class PanelLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PANEL_PREFIXES):
            return self.get_response(request)
        language = panel_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Back to English for whatever this thread serves next (an API call, a shopper page).
            translation.deactivate()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Panel language"),
        required=False,
        choices=[("", _("As my browser"))] + list(settings.LANGUAGES),
    )


class LanguageSaveView(PanelMixin, View):
    """POST language=<code> ("" follows the browser): saved on the member's membership, then the
    page reloads in it (htmx: HX-Refresh; a plain form: back to `next` or the settings)."""

    def post(self, request):
        form = LanguageForm(request.POST)
        if not form.is_valid():
            message = gettext("Choose one of the languages offered.")
            if request.htmx:
                return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
            messages.error(request, message)
            return redirect("panel:settings")
        language = form.cleaned_data["language"]
        services.membership_set_language(membership=self.membership, language=language)
        if request.htmx:
            response = HttpResponse(status=204, headers={"HX-Refresh": "true"})
        else:
            nxt = request.POST.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            response = redirect(nxt if safe and nxt else "panel:settings")
        # The log-in page after a log-out speaks it too (the cookie Django's set_language writes).
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
