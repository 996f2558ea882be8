"""Brand and company names are single lines (brands.validators.validate_single_line); names stored
before the check have each run of line breaks and control characters made one space, so the
e-mails that carry them stop failing with `bad_header`."""

import re

from django.db import migrations, models

import brands.validators

NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(value: str) -> str:
    return " ".join(NOT_ONE_LINE.sub(" ", value).split())


def clean_stored_names(apps, schema_editor):
    for model_name, field in (("Account", "company_name"), ("Brand", "name")):
        model = apps.get_model("brands", model_name)
        # Checked here rather than with a database regex: the tables are small, and SQLite has none.
        for pk, value in model.objects.values_list("pk", field).iterator():
            if NOT_ONE_LINE.search(value):
                model.objects.filter(pk=pk).update(**{field: single_line(value)})


class Migration(migrations.Migration):

    dependencies = [
        ("brands", "0002_security_retention_audit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="account",
            name="company_name",
            field=models.CharField(max_length=200, validators=[brands.validators.validate_single_line]),
        ),
        migrations.AlterField(
            model_name="brand",
            name="name",
            field=models.CharField(
                help_text="Used as <<companyname>> in messages.", max_length=100,
                validators=[brands.validators.validate_single_line],
            ),
        ),
        migrations.RunPython(clean_stored_names, migrations.RunPython.noop),
    ]
