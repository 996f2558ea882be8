from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = "Accounts and brands"

    def ready(self):
        from brands import login_throttle, schema  # noqa: F401 - lockout signal receivers, OpenAPI auth extension
