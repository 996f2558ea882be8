"""Writes of the tenancy core. Views, commands and the panel call these; nothing else writes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_countries import countries

from brands.audit import Actor, audit_record
from brands.brand_deletion import run_deletion_steps
from brands.models import Account, ApiKey, Brand, Membership, Plan, Role, hash_key
from brands.plan_change import run_plan_change_validators
from brands.validators import validate_display_text, validate_time_zone
from core.country_zones import obvious_zone
from core.errors import RuleViolation

User = get_user_model()


def _company_name_errors(company_name: str) -> list[str]:
    if not company_name or not company_name.strip():
        return ["Enter the company name."]
    try:
        validate_display_text(company_name.strip())  # it goes into the subject of invitation e-mails
    except ValidationError as exc:
        return exc.messages
    return []


def _validate_account_fields(*, company_name: str, country: str, plan: str, email: str) -> dict:
    errors: dict[str, list[str]] = {}
    if company_errors := _company_name_errors(company_name):
        errors["company"] = company_errors
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
    account = Account.objects.create(company_name=company_name.strip(), country=country, plan=plan,
                                     time_zone=obvious_zone(country))
    user = User(username=email, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, account=account, role=Role.OWNER)
    _, raw_key = api_key_create(account=account, name="Default", created_by=user)
    return account, user, raw_key


@transaction.atomic
def api_key_create(
    *, account: Account, name: str, created_by=None, actor: Actor | None = None
) -> tuple[ApiKey, str]:
    """A new key; the raw value is returned once and never stored."""
    prefix, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        account=account, name=name or "Default", prefix=prefix, key_hash=hash_key(raw), created_by=created_by
    )
    if actor is None and created_by is not None:
        actor = Actor(user=created_by)
    audit_record(account=account, action="api_key.create", actor=actor, object_type="api_key", object_id=key.pk,
                 after={"name": key.name, "prefix": key.prefix})
    return key, raw


@transaction.atomic
def api_key_revoke(*, account: Account, key_id: int, actor: Actor | None = None) -> ApiKey:
    key = ApiKey.objects.for_account(account).get(pk=key_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(account=account, action="api_key.revoke", actor=actor, object_type="api_key",
                     object_id=key.pk, before={"name": key.name, "prefix": key.prefix})
    return key


BRAND_FIELDS = ("name", "slug", "whatsapp_number", "support_email", "default_language", "primary_color", "logo_url",
                "rating_ask_enabled", "rating_ask_delay_hours")


SLUG_TAKEN = "This slug is taken by another brand."


def brand_slug_taken(*, slug: str, brand_pk: int | None = None) -> bool:
    """Whether a brand that is not deleted (of any account: slugs are in public URLs) has `slug`."""
    return Brand.objects.filter(slug=slug, deleted_at__isnull=True).exclude(pk=brand_pk).exists()


def _brand_clean(brand: Brand) -> None:
    """The model's validation, with a taken slug named on the `slug` field: slugs are unique among
    brands not deleted (a conditional constraint, which Django would report for no field)."""
    errors: dict[str, list[str]] = {}
    try:
        brand.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    if "slug" not in errors and brand_slug_taken(slug=brand.slug, brand_pk=brand.pk):
        errors["slug"] = [SLUG_TAKEN]
    if errors:
        raise ValidationError(errors)


def brand_create(*, account: Account, **fields) -> Brand:
    brand = Brand(account=account, **{k: v for k, v in fields.items() if k in BRAND_FIELDS})
    _brand_clean(brand)
    brand.save()
    return brand


def brand_update(*, brand: Brand, **fields) -> Brand:
    for name, value in fields.items():
        if name in BRAND_FIELDS:
            setattr(brand, name, value)
    _brand_clean(brand)
    brand.save()
    return brand


@transaction.atomic
def brand_delete(*, account: Account, brand: Brand, actor: Actor | None = None, now=None) -> dict[str, int]:
    """Delete the brand for its account: from now on it is a 404 to the API and the panel, its
    tracking pages answer "this link does not work", nothing is sent or polled for it, and its
    slug is free for a new brand. Returns what was stopped (also in the audit event).

    The row stays, marked `deleted_at` (README, "Deleting a brand"): its charges and invoice lines
    name it, so invoices, issued or to come (this month's bills this month's charges), never
    change, and its shipments' shopper data goes when the retention job's time comes. The other
    apps stop their parts (brands.brand_deletion) inside this transaction, with the brand locked.
    Raises Brand.DoesNotExist for a brand of another account or already deleted.
    """
    locked = Brand.objects.for_account(account).select_for_update().get(pk=brand.pk)
    now = now or timezone.now()
    locked.account = account
    counts = run_deletion_steps(locked, now=now, actor=actor)
    locked.deleted_at = now
    # A save (not an UPDATE): post_save tells webhooks_out to forget its listeners of the brand.
    locked.save(update_fields=["deleted_at", "updated_at"])
    audit_record(account=account, action="brand.delete", actor=actor, object_type="brand", object_id=locked.pk,
                 before={"name": locked.name, "slug": locked.slug}, **counts)
    brand.deleted_at = now
    return counts


@transaction.atomic
def account_change_plan(*, account: Account, plan: str, actor: Actor | None = None) -> Account:
    """Move the account to another plan, unless a registered validator refuses (RuleViolation).

    The account row is locked while the validators look at what the account has configured, so a
    setting cannot be switched on between the check and the change.
    """
    if plan not in Plan.values:
        raise RuleViolation("plan", _("'%(plan)s' is not a plan; choose one of %(plans)s.")
                            % {"plan": plan, "plans": ", ".join(Plan.values)}, code="invalid")
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if locked.plan != plan:
        run_plan_change_validators(locked, plan)
        before = locked.plan
        locked.plan = plan
        locked.save(update_fields=["plan"])
        audit_record(account=locked, action="plan.change", actor=actor, object_type="account", object_id=locked.pk,
                     before={"plan": before}, after={"plan": plan})
    account.plan = locked.plan
    return locked


def account_update(*, account: Account, company_name: str, country: str, vat_number: str = "") -> Account:
    """Change the account's company details. Country drives future prices and VAT, never past ones."""
    country = (country or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if company_errors := _company_name_errors(company_name):
        errors["company_name"] = company_errors
    if country not in countries:
        errors["country"] = [f"'{country}' is not an ISO 3166-1 alpha-2 country code."]
    vat_number = "".join((vat_number or "").split()).upper()
    if len(vat_number) > Account._meta.get_field("vat_number").max_length:
        errors["vat_number"] = ["At most 32 characters."]
    if errors:
        raise ValidationError(errors)
    account.company_name, account.country, account.vat_number = company_name.strip(), country, vat_number
    account.save(update_fields=["company_name", "country", "vat_number"])
    return account


@transaction.atomic
def account_set_retention(*, account: Account, retention_days, actor: Actor | None = None) -> Account:
    """How many days after a shipment's end its shopper's details are kept (1 to 3650)."""
    field = Account._meta.get_field("retention_days")
    try:
        value = field.clean(retention_days, account)
    except ValidationError as exc:
        raise ValidationError({"retention_days": exc.messages}) from None
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if locked.retention_days != value:
        audit_record(account=locked, action="account.retention", actor=actor, object_type="account",
                     object_id=locked.pk, before={"retention_days": locked.retention_days},
                     after={"retention_days": value})
        locked.retention_days = value
        locked.save(update_fields=["retention_days"])
    account.retention_days = value
    return locked


@transaction.atomic
def account_set_time_zone(*, account: Account, time_zone: str, actor: Actor | None = None) -> Account:
    """The IANA zone the panel shows the account's times in. Stored times stay UTC; nothing sent
    to shoppers depends on it (their clock is their own: tracking.shopper_zones)."""
    time_zone = str(time_zone or "").strip()
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}) from None
    locked = Account.objects.select_for_update().get(pk=account.pk)
    if locked.time_zone != time_zone:
        audit_record(account=locked, action="account.time_zone", actor=actor, object_type="account",
                     object_id=locked.pk, before={"time_zone": locked.time_zone}, after={"time_zone": time_zone})
        locked.time_zone = time_zone
        locked.save(update_fields=["time_zone"])
    account.time_zone = time_zone
    return locked


@transaction.atomic
def account_settings_update(*, account: Account, actor: Actor | None = None, **fields) -> Account:
    """`PATCH /api/v1/account/`: the given settings (`retention_days`, `time_zone`) changed
    together or not at all, each through its own service (checks, lock, audit)."""
    if "retention_days" in fields:
        account_set_retention(account=account, actor=actor, retention_days=fields["retention_days"])
    if "time_zone" in fields:
        account_set_time_zone(account=account, actor=actor, time_zone=fields["time_zone"])
    return account


@transaction.atomic
def membership_set_language(*, membership: Membership, language: str) -> Membership:
    """The panel language a member chose ("" follows the browser); validated by the model's choices."""
    membership.language = Membership._meta.get_field("language").clean(language, membership)
    membership.save(update_fields=["language"])
    return membership


def member_invite(*, account: Account, email: str, invited_by) -> "User":
    """A new member of the account, invited by one of its owners: a user without a password and
    an e-mail with a link to set one (valid as long as Django's password reset links are).

    The e-mail goes out inside the transaction on purpose: when it cannot be sent, the owner
    sees the error and no half-invited user is left behind.
    """
    inviter = Membership.objects.for_account(account).filter(user=invited_by).first()
    if inviter is None or inviter.role != Role.OWNER:
        raise RuleViolation("email", _("Only an owner of the account can invite members."), code="owner_only")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("'%(email)s' is not a valid e-mail address.") % {"email": email}]}) from None
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": [_("A user with this e-mail already exists.")]})
    user = User(username=email, email=email)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, account=account, role=Role.MEMBER)
    _send_invitation(user=user, account=account, invited_by=invited_by)
    return user


def _send_invitation(*, user, account: Account, invited_by) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invite-accept", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    context = {"account": account, "invited_by": invited_by, "user": user, "link": settings.PUBLIC_BASE_URL + path}
    subject = render_to_string("registration/invite_subject.txt", context).strip()
    send_mail(subject, render_to_string("registration/invite_email.txt", context), None, [user.email])
