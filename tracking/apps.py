from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Tracking"

    def ready(self):
        from brands.account_data import register_eraser, register_export_section
        from tracking import account_data

        register_export_section("shipments", account_data.shipments_with_events)
        register_eraser(account_data.erase)
