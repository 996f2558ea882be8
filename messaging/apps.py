from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self):
        from django.core import checks

        from messaging.checks import field_encryption_keys, provider_credentials

        # Half-set provider credentials stop start-up (`manage.py check`), not the sends.
        checks.register(provider_credentials)
        # Stored brand tokens without the key to read them stop start-up too.
        checks.register(field_encryption_keys)
        from brands.plan_change import register_plan_change_validator
        from messaging.services.plan_rules import check_plan_change

        # A downgrade below what the WhatsApp settings use is refused, naming what to switch off.
        register_plan_change_validator(check_plan_change)
        from messaging import receivers  # noqa: F401 - subscribes to tracking's status changes
        from messaging.api.messages import shipment_messages
        from tracking.api.serializers import register_shipment_messages

        # The shipment detail of the tracking API lists its messages without tracking importing us.
        register_shipment_messages(shipment_messages)
        from brands.account_data import register_eraser, register_export_section
        from messaging import account_data

        # An account's export and deletion include its settings, templates and messages.
        for name, section in account_data.SECTIONS.items():
            register_export_section(name, section)
        register_eraser(account_data.erase)
        from brands.panel.sections import register_brand_section
        from messaging.panel.whatsapp_sender import brand_section

        # The brand's settings page shows which WhatsApp number sends, and connects its own.
        register_brand_section(brand_section)
        from brands.brand_deletion import register_deletion_step, register_impact
        from messaging import brand_deletion

        # Nothing is sent for a deleted brand; its confirmation counts what will not go.
        register_impact(brand_deletion.pending_sends)
        register_deletion_step(brand_deletion.stop_sending)
