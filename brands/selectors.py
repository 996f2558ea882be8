"""Reads of the tenancy core."""

from brands.models import Account, ApiKey, Brand, Membership


def brand_list(*, account: Account):
    return Brand.objects.for_account(account)


def api_key_list(*, account: Account):
    return ApiKey.objects.for_account(account)


def member_list(*, account: Account):
    return Membership.objects.for_account(account).select_related("user").order_by("user__email")
