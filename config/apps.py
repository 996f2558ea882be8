"""The composition root's hooks: wiring between apps that no app may do itself.

billing is the rightmost app and owns invoices; brands (leftmost) offers hook registries for the
account's export, its deletion and its erasure. billing's parts of those are connected here, from
the one place that already knows every app (config/urls.py imports them all too), so that neither
brands imports billing nor billing must know about account deletion.
"""

from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "config"
    label = "platform"
    verbose_name = "Platform wiring"

    def ready(self):
        from config import billing_hooks

        billing_hooks.register()
