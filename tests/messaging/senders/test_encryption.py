"""Access tokens at rest: Fernet ciphertext in the database, MultiFernet rotation, and start-up
refusing to run without the key once tokens are stored."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from config.provider_settings import _check_fernet_keys
from core import field_encryption
from messaging import senders
from messaging.checks import field_encryption_keys
from messaging.models import WhatsAppSender
from tests.factories.messaging import WhatsAppSenderFactory

pytestmark = pytest.mark.django_db
TOKEN = "EAAGm0PX4ZCpsBAsecretToken0123456789"


def raw_column(sender) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token_encrypted FROM {WhatsAppSender._meta.db_table} WHERE id = %s",
                       [sender.pk])
        return cursor.fetchone()[0]


def test_the_token_is_encrypted_at_rest(brand):
    sender = WhatsAppSenderFactory(brand=brand, token=TOKEN)

    stored = raw_column(sender)

    assert TOKEN not in stored and stored.startswith("gAAAAA")  # a Fernet token
    assert senders.access_token(sender) == TOKEN


def test_a_new_first_key_encrypts_while_the_old_one_still_decrypts_then_rotation_frees_it(brand, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    sender = WhatsAppSenderFactory(brand=brand, token=TOKEN)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # step 1: the new key first, the old one kept

    assert senders.access_token(sender) == TOKEN
    call_command("rotate_field_encryption", stdout=io.StringIO())  # step 2: re-encrypt with the first
    settings.FIELD_ENCRYPTION_KEYS = [new]  # step 3: the old key dropped

    sender.refresh_from_db()
    assert senders.access_token(sender) == TOKEN
    settings.FIELD_ENCRYPTION_KEYS = [old]
    with pytest.raises(field_encryption.DecryptionError):
        senders.access_token(sender)


def test_dropping_a_key_too_early_is_a_clear_error_not_garbage(brand, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    sender = WhatsAppSenderFactory(brand=brand, token=TOKEN)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(field_encryption.DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        senders.access_token(sender)


def test_development_derives_a_key_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.DEBUG = True

    assert field_encryption.decrypt(field_encryption.encrypt(TOKEN)) == TOKEN
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        field_encryption.encrypt(TOKEN)


def test_start_up_stops_without_a_key_only_once_a_token_is_stored(brand, settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.DEBUG = False
    assert field_encryption_keys() == []

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    WhatsAppSenderFactory(brand=brand)
    settings.FIELD_ENCRYPTION_KEYS = []

    assert [error.id for error in field_encryption_keys()] == ["messaging.E003"]


def test_a_malformed_key_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="key 2 is not a Fernet key"):
        _check_fernet_keys([Fernet.generate_key().decode(), "not-a-key"])
