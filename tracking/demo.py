"""Demo data of tracking: sandbox shipments for the demo account's brands.

Each brand gets parcels to five countries whose tracking numbers pick the sandbox stories
(RETURN, PICKUP, FAIL, DELAY, LOST; no keyword = chosen by hash, mostly the happy path). Some
are backdated by a few journey steps so the panel shows every stage at once; all are due
now, so the running beat moves them on. Idempotent: existing shipments are left alone.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from brands.models import Account, Brand
from tracking.models import Shipment
from tracking.services import shipment_create

# (suffix, steps already travelled, country, language, name, phone, postal code)
PARCELS = (
    ("01", 0, "NL", "nl", "Sanne de Vries", "+31612345001", "1012 AB"),
    ("02PICKUP", 8, "NL", "nl", "Daan Jansen", "+31687650002", "3511 LK"),
    ("03", 6, "DE", "de", "Lena Schmidt", "+4915112340003", "10115"),
    ("04FAIL", 9, "DE", "de", "Jonas Becker", "+4917012340004", "50667"),
    ("05", 3, "FR", "fr", "Camille Martin", "+33612340005", "75011"),
    ("06RETURN", 16, "FR", "fr", "Hugo Bernard", "+33698760006", "69002"),
    ("07DELAY", 4, "BE", "nl", "Lotte Peeters", "+32470120007", "2000"),
    ("08", 10, "BE", "fr", "Louis Dubois", "+32485670008", "1000"),
    ("09", 1, "ES", "es", "Lucía García", "+34612340009", "28013"),
    ("10LOST", 5, "ES", "es", "Mateo Fernández", "+34678900010", "08001"),
)


def _email(name: str) -> str:
    ascii_name = name.lower().translate(str.maketrans("áéíóúñ", "aeioun"))
    return ".".join(ascii_name.split()) + "@example.com"


def seed(account: Account) -> list[Shipment]:
    """Sandbox shipments for every brand of the account; returns the ones created now."""
    step = timedelta(seconds=settings.SANDBOX_CARRIER_STEP_SECONDS)
    now = timezone.now()
    created = []
    for brand in Brand.objects.for_account(account).order_by("pk"):
        prefix = "".join(ch for ch in brand.slug.upper() if ch.isalnum())[:4]
        for index, (suffix, travelled, country, language, name, phone, postal) in enumerate(PARCELS):
            shipment, is_new = shipment_create(
                account=account,
                brand=brand,
                carrier="sandbox",
                tracking_number=f"{prefix}{brand.pk:02d}{suffix}",
                order_number=f"{prefix}-{10400 + index}",
                recipient_name=name,
                recipient_phone=phone,
                recipient_email=_email(name),
                language=language,
                to_country=country,
                to_postal_code=postal,
            )
            if not is_new:
                continue
            # The sandbox journey starts at created_at: backdating puts the parcel mid-way.
            Shipment.objects.filter(pk=shipment.pk).update(created_at=now - travelled * step, next_poll_at=now)
            created.append(shipment)
    return created
