"""Demo data of the tenancy core: the demo account, its owner and two brands."""

from django.contrib.auth import get_user_model

from brands.models import Account, Plan
from brands.services import account_create, brand_create

DEMO_EMAIL = "demo@parcelcast.test"
DEMO_PASSWORD = "trailhead-2026"
# A staff superuser for /admin/ (invoices, the reconciliation report): the demo's only, never
# created outside `seed_demo`.
ADMIN_EMAIL = "admin@parcelcast.test"
ADMIN_PASSWORD = "trailhead-admin-2026"


def seed_admin() -> None:
    """The demo's admin login (created once)."""
    users = get_user_model().objects
    if not users.filter(username=ADMIN_EMAIL).exists():
        users.create_superuser(username=ADMIN_EMAIL, email=ADMIN_EMAIL, password=ADMIN_PASSWORD)


def seed() -> tuple[Account, str | None]:
    """The demo account (created once). Returns (account, raw API key or None if it existed)."""
    user = get_user_model().objects.filter(username=DEMO_EMAIL).select_related("membership__account").first()
    if user is not None:
        return user.membership.account, None
    account, _, raw_key = account_create(
        company_name="Demo Outdoor Co.", country="NL", plan=Plan.GROWTH, email=DEMO_EMAIL, password=DEMO_PASSWORD
    )
    brand_create(
        account=account, name="Trailhead", slug="trailhead", whatsapp_number="+31612345678",
        support_email="help@trailhead.example", default_language="en", primary_color="#0f766e",
    )
    brand_create(
        account=account, name="Fjellsko", slug="fjellsko", whatsapp_number="+31687654321",
        support_email="kundeservice@fjellsko.example", default_language="nl", primary_color="#b91c1c",
    )
    return account, raw_key


__all__ = ("ADMIN_EMAIL", "ADMIN_PASSWORD", "DEMO_EMAIL", "DEMO_PASSWORD", "seed", "seed_admin")
