from datetime import timedelta

from django.db import migrations, models
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone


def watch_parcels_on_their_way(apps, schema_editor):
    """Parcels in transit today start being watched (else a parcel already stuck would wait for a
    scan that never comes). Values frozen here: the watched statuses, the 24 h first look and
    the 30 days after which a silent parcel is abandoned, as in tracking/lanes.py at this time."""
    Shipment = apps.get_model("tracking", "Shipment")
    TrackingEvent = apps.get_model("tracking", "TrackingEvent")
    newest_scan = (
        TrackingEvent.objects.filter(shipment=OuterRef("pk")).exclude(source="parcelcast")
        .order_by().values("shipment").annotate(newest=Max("occurred_at")).values("newest")
    )
    watched = Shipment.objects.filter(status__in=["in_transit", "out_for_delivery"])
    watched.update(last_scan_at=Subquery(newest_scan))
    watched.filter(last_scan_at__gte=timezone.now() - timedelta(days=30)).update(
        stall_check_at=F("last_scan_at") + timedelta(days=1)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('brands', '0002_security_retention_audit'),
        ('tracking', '0002_shipment_carrier_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='LaneStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('carrier', models.CharField(max_length=32)),
                ('country', models.CharField(max_length=2)),
                ('gaps', models.PositiveIntegerField(help_text='Gaps between scans measured: the sample.')),
                ('p90_seconds', models.PositiveIntegerField(help_text='90th percentile of those gaps.')),
                ('computed_at', models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name='shipment',
            name='last_scan_at',
            field=models.DateTimeField(blank=True, help_text="Time of the newest carrier event (Parcelcast's own do not count).", null=True),
        ),
        migrations.AddField(
            model_name='shipment',
            name='stall_check_at',
            field=models.DateTimeField(blank=True, help_text='When to look whether the parcel is stuck. Null: not watched.', null=True),
        ),
        migrations.AlterField(
            model_name='trackingevent',
            name='source',
            field=models.CharField(choices=[('api', 'API'), ('poll', 'Carrier poll'), ('webhook', 'Carrier webhook'), ('parcelcast', 'Parcelcast')], default='api', max_length=16),
        ),
        migrations.AddIndex(
            model_name='shipment',
            index=models.Index(condition=models.Q(('stall_check_at__isnull', False)), fields=['stall_check_at'], name='tracking_shipment_stall_idx'),
        ),
        migrations.AddConstraint(
            model_name='lanestat',
            constraint=models.UniqueConstraint(fields=('carrier', 'country'), name='tracking_lanestat_unique_lane'),
        ),
        migrations.RunPython(watch_parcels_on_their_way, migrations.RunPython.noop),
    ]
