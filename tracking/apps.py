from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Tracking"

    def ready(self):
        from brands.account_data import register_eraser, register_export_section
        from tracking import account_data

        register_export_section("shipments", account_data.shipments_with_events)
        register_eraser(account_data.erase)
        from brands.brand_deletion import register_deletion_step, register_impact
        from tracking import brand_deletion

        # A deleted brand's shipments are polled no more; its confirmation counts those in transit.
        register_impact(brand_deletion.shipments_in_transit)
        register_deletion_step(brand_deletion.stop_polling)
