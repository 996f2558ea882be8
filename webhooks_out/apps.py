from django.apps import AppConfig


class WebhooksOutConfig(AppConfig):
    name = "webhooks_out"
    verbose_name = "Outbound webhooks"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from brands.account_data import register_eraser, register_export_section
        from brands.models import Brand
        from webhooks_out import account_data
        from webhooks_out.subscriptions import forget_on_change

        # An account's export lists its endpoints (never their secrets); its deletion erases them.
        register_export_section("webhook_endpoints", account_data.endpoints)
        register_eraser(account_data.erase)
        # The cached "who listens" is per brand: a brand created or deleted changes it.
        post_save.connect(forget_on_change, sender=Brand, dispatch_uid="webhooks_out.forget.brand_saved")
        post_delete.connect(forget_on_change, sender=Brand, dispatch_uid="webhooks_out.forget.brand_deleted")
