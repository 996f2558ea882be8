"""`seed_demo`: the demo that `make run` shows. It lives in `billing`, the app that may import
from every other one; each app seeds its own part through its `demo.seed`."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from billing import demo as billing_demo
from brands import demo as brands_demo
from messaging import demo as messaging_demo
from tracking import demo as tracking_demo


class Command(BaseCommand):
    help = ("Create the demo account, brands, settings, sending policies, spend cap, last month's charges, "
            "sandbox shipments and an admin login (idempotent).")

    @transaction.atomic
    def handle(self, *args, **options):
        account, raw_key = brands_demo.seed()
        brands_demo.seed_admin()
        tracking_demo.seed(account)
        messaging_demo.seed(account)
        billing_demo.seed(account)
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
