"""`seed_demo`: the demo that `make run` shows. It lives in `billing`, the app that may import
from every other one; each app seeds its own part through its `demo.seed`. Prints one JSON object on
stdout (the logins); a progress bar over the parts on a terminal and a summary line on stderr."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from billing import demo as billing_demo
from brands import demo as brands_demo
from core.progress import Summary, progress_bar
from messaging import demo as messaging_demo
from tracking import demo as tracking_demo


class Command(BaseCommand):
    help = ("Create the demo account, brands, settings, sending policies, spend cap, last month's charges, "
            "sandbox shipments and an admin login (idempotent).")

    @transaction.atomic
    def handle(self, *args, verbosity=1, **options):
        summary = Summary()
        parts = {"shipments": tracking_demo.seed, "messages": messaging_demo.seed, "charges": billing_demo.seed}
        with progress_bar(self, description="Seeding the demo", total=2 + len(parts), verbosity=verbosity) as advance:
            account, raw_key = brands_demo.seed()
            advance()
            brands_demo.seed_admin()
            advance()
            for seed in parts.values():
                seed(account)
                advance()
        self.stdout.write(
            json.dumps(
                {
                    "account": account.pk,
                    "login": brands_demo.DEMO_EMAIL,
                    "password": brands_demo.DEMO_PASSWORD,
                    "admin_login": brands_demo.ADMIN_EMAIL,
                    "admin_password": brands_demo.ADMIN_PASSWORD,
                    "api_key": raw_key or "(created earlier; make a new one in the panel)",
                }
            )
        )
        summary.line(self.stderr, f"Seeded the demo account {account.pk}, its admin, {', '.join(parts)}")
