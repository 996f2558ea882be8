from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = "Accounts and brands"

    def ready(self):
        from brands import schema  # noqa: F401 - registers the OpenAPI auth extension
