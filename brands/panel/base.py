"""What every panel view shares: the member's account (tenant scoping), the brand of a URL looked
up through it (a foreign brand is a 404), and the htmx-or-redirect answer of a small write.

Panel views stay thin: they parse a form, call a service or a selector and render. The other apps'
panel modules build on this one (they may import brands; brands never imports them).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils.translation import gettext

from brands.models import Brand, Membership, Role
from brands.scoping import AccountScopedPanelMixin
from core.errors import RuleViolation

PAGE_SIZE = 25


class PanelMixin(AccountScopedPanelMixin):
    """A logged-in member's view. `self.account` is their account; everything goes through it."""

    def handle_no_permission(self):
        """An htmx save after the session expired: 403 and where to log in (coming back to the page
        the merchant is on), which the shared save script offers; pages redirect as usual."""
        if getattr(self.request, "htmx", False) and not self.request.user.is_authenticated:
            back = urlsplit(self.request.htmx.current_url or "").path or self.request.path
            login = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}"
            return HttpResponse(gettext("Your session has expired: log in again."), status=403,
                                content_type="text/plain; charset=utf-8", headers={"X-Login-Url": login})
        return super().handle_no_permission()

    def brand_or_404(self, pk) -> Brand:
        brand = get_object_or_404(self.scoped_queryset(Brand), pk=pk)
        brand.account = self.account  # loaded already: saves a query wherever brand.account is read
        return brand

    @property
    def membership(self) -> Membership:
        if not hasattr(self, "_membership"):
            self._membership = get_object_or_404(
                Membership.objects.for_account(self.account).select_related("user"), user=self.request.user
            )
        return self._membership

    @property
    def is_owner(self) -> bool:
        return self.membership.role == Role.OWNER

    def paginate(self, queryset, *, per_page: int = PAGE_SIZE):
        """One COUNT and one page of rows, whatever the number of rows."""
        return Paginator(queryset, per_page).get_page(self.request.GET.get("page"))

    def done(self, url: str, message: str):
        """The answer of a classic (non-htmx) form post: back to the page, with a notice."""
        messages.success(self.request, message)
        return redirect(url)


def rule_errors(form, exc: Exception) -> None:
    """Put a service's ValidationError or RuleViolation beside the fields it names."""
    if isinstance(exc, RuleViolation):
        for violation in exc.violations:
            form.add_error(violation.field if violation.field in form.fields else None, violation.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
