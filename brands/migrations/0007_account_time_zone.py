from django.db import migrations, models

import brands.validators
from core.country_zones import obvious_zone


def set_from_country(apps, schema_editor):
    """Each existing account's zone from its country, where the country has one obvious zone."""
    Account = apps.get_model("brands", "Account")
    # One UPDATE per country (a few dozen at most), whatever the number of accounts.
    for country in Account.objects.order_by().values_list("country", flat=True).distinct():
        zone = obvious_zone(country)
        if zone != "UTC":
            Account.objects.filter(country=country).update(time_zone=zone)


class Migration(migrations.Migration):

    dependencies = [
        ('brands', '0006_membership_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='account',
            name='time_zone',
            field=models.CharField(default='UTC', help_text='IANA time zone the panel shows times in, e.g. Europe/Amsterdam.', max_length=64, validators=[brands.validators.validate_time_zone]),
        ),
        migrations.RunPython(set_from_country, migrations.RunPython.noop),
    ]
