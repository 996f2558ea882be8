"""Brand and company names are plain text on one line (brands.validators.validate_display_text).
Names stored before the check are cleaned the same way, so the e-mails that carry them stop
failing with `bad_header`: line breaks, tabs and other control characters become one space,
invisible marks (zero-width, bidi overrides) go."""

import re

from django.db import migrations, models

import brands.validators

BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def plain_text(value: str) -> str:
    return " ".join(BREAKS.sub(" ", INVISIBLE.sub("", value)).split())


def clean_stored_names(apps, schema_editor):
    for model_name, field in (("Account", "company_name"), ("Brand", "name")):
        model = apps.get_model("brands", model_name)
        # Checked here rather than with a database regex: the tables are small, and SQLite has none.
        for pk, value in model.objects.values_list("pk", field).iterator():
            if BREAKS.search(value) or INVISIBLE.search(value):
                model.objects.filter(pk=pk).update(**{field: plain_text(value)})


class Migration(migrations.Migration):

    dependencies = [
        ("brands", "0002_security_retention_audit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="account",
            name="company_name",
            field=models.CharField(max_length=200, validators=[brands.validators.validate_display_text]),
        ),
        migrations.AlterField(
            model_name="brand",
            name="name",
            field=models.CharField(
                help_text="Used as <<companyname>> in messages.", max_length=100,
                validators=[brands.validators.validate_display_text],
            ),
        ),
        migrations.RunPython(clean_stored_names, migrations.RunPython.noop),
    ]
