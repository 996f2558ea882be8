"""The one tenant-scoping mechanism. Every query of tenant data goes through it.

- `TenantQuerySet.for_account(account)`: the only way to reach tenant rows; it refuses to run
  without an account (fails closed) instead of returning everything.
- `account_for_request(request)`: the account acting in a request (API key or panel session).
- `HasAccount`: the DRF permission every API view uses by default.
- `AccountScopedAPIMixin` / `AccountScopedPanelMixin`: base API view and panel view mixin whose
  querysets are always scoped, so a foreign object is a 404, never a 403 or a leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import Http404
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from brands.models import Account


class TenantQuerySet(models.QuerySet):
    """A queryset of tenant data. Subclasses set `account_path` when the account is reached
    through a relation (e.g. "brand__account" for a shipment)."""

    account_path = "account"

    def for_account(self, account: Account | None) -> TenantQuerySet:
        if account is None or getattr(account, "pk", None) is None:
            raise ValueError("Tenant data can only be queried for a saved account.")
        return self.filter(**{self.account_path: account})


def account_for_request(request) -> Account | None:
    """The account a request acts for: its API key's, else the logged-in member's."""
    cached = getattr(request, "_parcelcast_account", None)
    if cached is not None:
        return cached
    from brands.models import ApiKey, Membership

    account = None
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        account = auth.account
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = Membership.objects.select_related("account").filter(user=user).first()
            account = membership.account if membership else None
    if account is not None:
        request._parcelcast_account = account
    return account


class HasAccount(BasePermission):
    message = "Authentication with an API key or a member session is required."

    def has_permission(self, request, view) -> bool:
        return account_for_request(request) is not None


class AccountScopedAPIMixin:
    """For DRF views: set `scoped_model`; the queryset is that model's rows of the account."""

    scoped_model: type[models.Model]

    @property
    def account(self) -> Account:
        return account_for_request(self.request)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request account
            return self.scoped_model.objects.none()
        return self.scoped_model.objects.for_account(self.account)


class AccountScopedPanelMixin(LoginRequiredMixin):
    """For panel views: a logged-in member of an account; `scoped_queryset(Model)` scopes."""

    @property
    def account(self) -> Account:
        account = account_for_request(self.request)
        if account is None:
            raise Http404("No account for this user.")
        return account

    def scoped_queryset(self, model: type[models.Model]):
        return model.objects.for_account(self.account)
