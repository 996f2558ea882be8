"""`purge_recipients`: erase the shopper details that outlived their account's retention period
(messaging/retention.py, also a daily beat task). Prints one JSON object of counts on stdout; a
progress bar over the accounts on a terminal and a summary line on stderr (core/progress.py)."""

import json

from django.core.management.base import BaseCommand

from core.progress import Summary, progress_bar
from messaging.retention import purge_recipients


class Command(BaseCommand):
    help = "Erase shopper details of shipments finished longer ago than their account's retention period."

    def handle(self, *args, verbosity=1, **options):
        summary = Summary()
        with progress_bar(self, description="Purging accounts", total=None, verbosity=verbosity) as advance:
            result = purge_recipients(progress=advance)
        self.stdout.write(json.dumps({"shipments": result.shipments, "messages": result.messages,
                                      "inbound": result.inbound, "conversations": result.conversations,
                                      "whatsapp_user_ids": result.identities}))
        summary.line(self.stderr, f"Purged {result.shipments} shipments, {result.messages} messages, "
                                  f"{result.inbound} inbound messages, {result.conversations} conversations "
                                  f"and {result.identities} WhatsApp user ids")
