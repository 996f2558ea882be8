"""The one tenant-scoping mechanism. Every query of tenant data goes through it.

- `TenantQuerySet.for_account(account)`: the only way to reach tenant rows; it refuses to run
  without an account (fails closed) instead of returning everything. Rows of a deleted brand
  (the brand itself, its shipments, messages, settings...) are left out: for its account the
  brand is gone, a 404. Only the jobs that must still see them (the account's export and
  deletion, the retention purge) ask for them with `include_deleted_brands=True`.
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
    # The path to the rows' brand, ending in "__" ("" for the brand itself); None: worked out from
    # account_path (a path through "brand__account" reaches a brand), else rows have no brand.
    brand_prefix: str | None = None

    def for_account(self, account: Account | None, *, include_deleted_brands: bool = False) -> TenantQuerySet:
        if account is None or getattr(account, "pk", None) is None:
            raise ValueError("Tenant data can only be queried for a saved account.")
        lookups = {self.account_path: account}
        prefix = self._brand_prefix()
        if prefix is not None and not include_deleted_brands:
            # In the same filter() as the account: the join to the brand is made once.
            lookups[f"{prefix}deleted_at__isnull"] = True
        return self.filter(**lookups)

    def _brand_prefix(self) -> str | None:
        if self.brand_prefix is not None:
            return self.brand_prefix
        if self.account_path == "brand__account" or self.account_path.endswith("__brand__account"):
            return self.account_path.removesuffix("account")
        return None


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
