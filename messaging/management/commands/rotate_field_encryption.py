"""Re-encrypt the stored secrets (brands' WhatsApp access tokens) with the first key of
FIELD_ENCRYPTION_KEYS, after a new key was put first. Old keys may be dropped afterwards."""

from django.core.management.base import BaseCommand, CommandError

from core.field_encryption import DecryptionError
from messaging.senders import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt stored access tokens with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        try:
            changed = reencrypt_all()
        except DecryptionError as exc:
            raise CommandError(f"{exc} Keep every old key in FIELD_ENCRYPTION_KEYS until this succeeds.") from exc
        self.stdout.write(f"Re-encrypted {changed} access token(s) with the first key.")
