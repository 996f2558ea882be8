"""The spend cap (issue 15): the cap, running totals of charges per day and month, and alerts.

The totals start from the charges already written (one GROUP BY), so a cap set on the day this
ships counts the month so far; from then on billing.spend_tracking keeps them with every wave.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import TruncDate


def totals_from_charges(apps, schema_editor):
    Charge = apps.get_model("billing", "Charge")
    DailySpend = apps.get_model("billing", "DailySpend")
    SpendMonth = apps.get_model("billing", "SpendMonth")
    days = (
        Charge.objects.annotate(day=TruncDate("created_at", tzinfo=dt.UTC)).order_by()
        .values_list("account_id", "day").annotate(amount=models.Sum("unit_price"))
    )
    months = {}
    daily = []
    for account_id, day, amount in days.iterator(chunk_size=5000):
        daily.append(DailySpend(account_id=account_id, day=day, amount=amount))
        key = (account_id, day.replace(day=1))
        months[key] = months.get(key, 0) + amount
    DailySpend.objects.bulk_create(daily, batch_size=5000)
    SpendMonth.objects.bulk_create(
        [SpendMonth(account_id=account_id, month=month, amount=amount) for (account_id, month), amount in months.items()],
        batch_size=5000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0005_seed_vat_rates'),
        ('brands', '0002_security_retention_audit'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailySpend',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('amount', models.DecimalField(decimal_places=4, default=0, max_digits=14)),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='brands.account')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('account', 'day'), name='billing_one_spend_per_day')],
            },
        ),
        migrations.CreateModel(
            name='SpendAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('percent', models.PositiveSmallIntegerField()),
                ('monthly_cap', models.DecimalField(decimal_places=2, max_digits=12)),
                ('spent', models.DecimalField(decimal_places=4, help_text="The month's charges when it was reached.", max_digits=14)),
                ('currency', models.CharField(default='EUR', max_length=3)),
                ('on_cap', models.CharField(choices=[('fallback', 'Send by the fallback channels'), ('pause', 'Pause WhatsApp messages')], max_length=8)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='brands.account')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('account', 'month', 'percent', 'monthly_cap'), name='billing_one_alert_per_threshold')],
            },
        ),
        migrations.CreateModel(
            name='SpendCap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('monthly_cap', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                ('alert_at_percent', models.PositiveSmallIntegerField(default=80)),
                ('on_cap', models.CharField(choices=[('fallback', 'Send by the fallback channels'), ('pause', 'Pause WhatsApp messages')], default='fallback', max_length=8)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='spend_cap', to='brands.account')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('monthly_cap__gte', 0)), name='billing_spend_cap_not_negative'), models.CheckConstraint(condition=models.Q(('alert_at_percent__gte', 1), ('alert_at_percent__lte', 100)), name='billing_spend_alert_percent'), models.CheckConstraint(condition=models.Q(('on_cap__in', ['fallback', 'pause'])), name='billing_spend_on_cap_choice')],
            },
        ),
        migrations.CreateModel(
            name='SpendMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='First day of the month (UTC, like invoices).')),
                ('amount', models.DecimalField(decimal_places=4, default=0, max_digits=14)),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='brands.account')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('account', 'month'), name='billing_one_spend_per_month')],
            },
        ),
        migrations.RunPython(totals_from_charges, migrations.RunPython.noop),
    ]
