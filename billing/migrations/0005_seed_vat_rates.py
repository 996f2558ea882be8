"""Standard VAT rates of the EU member states (percent), as admins find them on day one.

Written out here rather than imported: a migration must keep doing what it did when it was
written. Countries outside the EU have no row: they are invoiced at 0% (billing.vat).
"""

from decimal import Decimal

from django.db import migrations

EU_STANDARD_RATES = {
    "AT": "20", "BE": "21", "BG": "20", "CY": "19", "CZ": "21", "DE": "19", "DK": "25", "EE": "24",
    "ES": "21", "FI": "25.5", "FR": "20", "GR": "24", "HR": "25", "HU": "27", "IE": "23", "IT": "22",
    "LT": "21", "LU": "17", "LV": "21", "MT": "18", "NL": "21", "PL": "23", "PT": "23", "RO": "21",
    "SE": "25", "SI": "22", "SK": "23",
}


def seed(apps, schema_editor):
    VatRate = apps.get_model("billing", "VatRate")
    for country, rate in EU_STANDARD_RATES.items():
        VatRate.objects.get_or_create(country=country, defaults={"rate": Decimal(rate)})


def unseed(apps, schema_editor):
    apps.get_model("billing", "VatRate").objects.filter(country__in=list(EU_STANDARD_RATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_invoices")]

    operations = [migrations.RunPython(seed, unseed)]
