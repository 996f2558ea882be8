"""Serializer fields every app's API shares."""

from rest_framework import serializers

# The largest id a row can have: a signed 64-bit integer (BigAutoField).
MAX_ID = 2**63 - 1


def object_id(**kwargs) -> serializers.IntegerField:
    """An object's id in a filter or a document: a positive integer no id can exceed, so that a
    larger number is a 400 naming its field, never an overflow in the database driver (SQLite
    refuses integers past 64 bits outright)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
