import json

from django.core.management.base import BaseCommand

from messaging.retention import purge_recipients


class Command(BaseCommand):
    help = "Erase shopper details of shipments finished longer ago than their account's retention period."

    def handle(self, *args, **options):
        result = purge_recipients()
        self.stdout.write(json.dumps({"shipments": result.shipments, "messages": result.messages,
                                    "inbound": result.inbound, "conversations": result.conversations}))
