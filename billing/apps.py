from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from billing.plans import BillingPlanPolicy
        from messaging.policy import register_policy

        # messaging enforces plan limits and shows prices without importing billing.
        register_policy(BillingPlanPolicy())
        from billing import charges  # noqa: F401 - connects the charge receiver
