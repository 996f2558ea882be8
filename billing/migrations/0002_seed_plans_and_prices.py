"""The plans of DESIGN.md and their WhatsApp prices (EUR, any company country).

The data is written out here rather than imported from billing.plans: a migration must keep
doing what it did when it was written, whatever the code becomes later.
"""

import datetime
from decimal import Decimal

from django.db import migrations

PLANS = (
    # code, name, whatsapp_allowed, max_whatsapp_countries, sort_order, EUR unit price
    ("free", "Free", False, None, 0, None),
    ("lite", "Lite", True, 2, 10, "0.16"),
    ("growth", "Growth", True, None, 20, "0.14"),
    ("premium", "Premium", True, None, 30, "0.12"),
)
VALID_FROM = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    PriceRule = apps.get_model("billing", "PriceRule")
    for code, name, whatsapp_allowed, max_countries, sort_order, price in PLANS:
        plan, _ = Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "whatsapp_allowed": whatsapp_allowed,
                "max_whatsapp_countries": max_countries,
                "sort_order": sort_order,
            },
        )
        if price is not None:
            PriceRule.objects.get_or_create(
                plan=plan, company_country="", valid_from=VALID_FROM,
                defaults={"unit_price": Decimal(price), "currency": "EUR"},
            )


def unseed(apps, schema_editor):
    apps.get_model("billing", "PriceRule").objects.filter(valid_from=VALID_FROM, company_country="").delete()
    apps.get_model("billing", "Plan").objects.filter(
        code__in=[code for code, *_ in PLANS], price_rules__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
