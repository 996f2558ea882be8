"""Writes of the tenancy core. Views, commands and the panel call these; nothing else writes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from brands.models import Account, ApiKey, Brand, Membership, Plan, Role, hash_key
from brands.plan_change import run_plan_change_validators
from config.errors import RuleViolation

User = get_user_model()


def _validate_account_fields(*, company_name: str, country: str, plan: str, email: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not company_name or not company_name.strip():
        errors["company"] = ["Enter the company name."]
    if country not in countries:
        errors["country"] = [f"'{country}' is not an ISO 3166-1 alpha-2 country code."]
    if plan not in Plan.values:
        errors["plan"] = [f"'{plan}' is not a plan; choose one of {', '.join(Plan.values)}."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [f"'{email}' is not a valid e-mail address."]
    else:
        if User.objects.filter(username__iexact=email).exists():
            errors["email"] = ["A user with this e-mail already exists."]
    return errors


@transaction.atomic
def account_create(
    *, company_name: str, country: str, plan: str, email: str, password: str | None = None
) -> tuple[Account, "User", str]:
    """A new account with its owner and a first API key. Returns (account, owner, raw API key)."""
    country = (country or "").upper()
    email = (email or "").strip().lower()
    errors = _validate_account_fields(company_name=company_name, country=country, plan=plan, email=email)
    if password and "password" not in errors:
        try:
            validate_password(password, User(username=email, email=email))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create(company_name=company_name.strip(), country=country, plan=plan)
    user = User(username=email, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, account=account, role=Role.OWNER)
    _, raw_key = api_key_create(account=account, name="Default", created_by=user)
    return account, user, raw_key


def api_key_create(*, account: Account, name: str, created_by=None) -> tuple[ApiKey, str]:
    """A new key; the raw value is returned once and never stored."""
    prefix, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        account=account, name=name or "Default", prefix=prefix, key_hash=hash_key(raw), created_by=created_by
    )
    return key, raw


def api_key_revoke(*, account: Account, key_id: int) -> ApiKey:
    key = ApiKey.objects.for_account(account).get(pk=key_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


BRAND_FIELDS = ("name", "slug", "whatsapp_number", "support_email", "default_language", "primary_color", "logo_url")


def brand_create(*, account: Account, **fields) -> Brand:
    brand = Brand(account=account, **{k: v for k, v in fields.items() if k in BRAND_FIELDS})
    brand.full_clean()
    brand.save()
    return brand


def brand_update(*, brand: Brand, **fields) -> Brand:
    for name, value in fields.items():
        if name in BRAND_FIELDS:
            setattr(brand, name, value)
    brand.full_clean()
    brand.save()
    return brand


@transaction.atomic
def account_change_plan(*, account: Account, plan: str) -> Account:
    """Move the account to another plan, unless a registered validator refuses (RuleViolation).

    The account row is locked while the validators look at what the account has configured, so a
    setting cannot be switched on between the check and the change.
    """
    if plan not in Plan.values:
        raise RuleViolation("plan", f"'{plan}' is not a plan; choose one of {', '.join(Plan.values)}.", code="invalid")
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if locked.plan != plan:
        run_plan_change_validators(locked, plan)
        locked.plan = plan
        locked.save(update_fields=["plan"])
    account.plan = locked.plan
    return locked
