"""Demo data of tracking: sandbox shipments for the demo account's brands.

Each brand gets parcels to five countries whose tracking numbers pick the sandbox stories
(RETURN, PICKUP, FAIL, DELAY, LOST; no keyword = chosen by hash, mostly the happy path). Some
are backdated by a few journey steps so the panel shows every stage at once; all are due
now, so the running beat moves them on. Idempotent: existing shipments are left alone.

The first brand also gets a stuck parcel (sandbox STUCK: scanned out of the hub three days ago,
then silence). Its lane (sandbox to NL) is given a learnt-looking LaneStat directly, since a
fresh demo has no history to learn from, and the parcel is polled and checked at once, so the
demo opens on Parcelcast's own `delayed` event ("No scan from ... since ...").

The second brand also gets a shopper who is not on WhatsApp (a sandbox number ending in 0000:
WhatsApp refuses it with 131026, a text reaches it): that brand falls back to SMS (messaging.demo).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from brands.models import Account, Brand
from tracking import lanes, polling, stalls
from tracking.models import LaneStat, Shipment
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
STUCK = ("11STUCK", "NL", "nl", "Eva Visser", "+31612345011", "2511 CV")
NOT_ON_WHATSAPP = ("12", "NL", "nl", "Bram de Wit", "+31612340000", "1013 CR")
STUCK_SILENT_FOR = timedelta(days=3)
STUCK_LAST_SCAN_STEP = 4  # the sandbox STUCK journey's last scan (HUB_OUT)


def _email(name: str) -> str:
    ascii_name = name.lower().translate(str.maketrans("áéíóúñ", "aeioun"))
    return ".".join(ascii_name.split()) + "@example.com"


def seed(account: Account) -> list[Shipment]:
    """Sandbox shipments for every brand of the account; returns the ones created now."""
    step = timedelta(seconds=settings.SANDBOX_CARRIER_STEP_SECONDS)
    now = timezone.now()
    created = []
    for position, brand in enumerate(Brand.objects.for_account(account).order_by("pk")):
        for index, (suffix, travelled, country, language, name, phone, postal) in enumerate(PARCELS):
            shipment = _parcel(account, brand, index, suffix, country, language, name, phone, postal)
            if shipment is not None:
                # The sandbox journey starts at created_at: backdating puts the parcel mid-way.
                Shipment.objects.filter(pk=shipment.pk).update(created_at=now - travelled * step, next_poll_at=now)
                created.append(shipment)
        if position == 0 and (stuck := _parcel(account, brand, len(PARCELS), *STUCK)) is not None:
            _seed_stall(stuck, step=step, now=now)
            created.append(stuck)
        if position == 1 and (no_whatsapp := _parcel(account, brand, len(PARCELS) + 1, *NOT_ON_WHATSAPP)) is not None:
            Shipment.objects.filter(pk=no_whatsapp.pk).update(next_poll_at=now)
            created.append(no_whatsapp)
    return created


def _parcel(account, brand, index, suffix, country, language, name, phone, postal) -> Shipment | None:
    """The brand's demo parcel, or None when it exists already."""
    prefix = "".join(ch for ch in brand.slug.upper() if ch.isalnum())[:4]
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
    return shipment if is_new else None


def _seed_stall(shipment: Shipment, *, step: timedelta, now) -> None:
    """Last scanned STUCK_SILENT_FOR ago; its lane as if learnt (scans usually two steps apart);
    polled (the carrier still says nothing new) and checked: it gets Parcelcast's delay now."""
    started = now - STUCK_SILENT_FOR - STUCK_LAST_SCAN_STEP * step
    Shipment.objects.filter(pk=shipment.pk).update(created_at=started, next_poll_at=now)
    LaneStat.objects.get_or_create(
        carrier=shipment.carrier, country=shipment.to_country.code,
        defaults={"gaps": lanes.min_gaps(), "p90_seconds": int(2 * step.total_seconds()), "computed_at": now},
    )
    polling.poll_batch(shipment.carrier, [shipment.pk], now=now)
    stalls.check_due(now=now)
