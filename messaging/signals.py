"""What messaging tells the apps to its right (billing subscribes; messaging imports nothing of it).

`messages_accepted` is sent INSIDE the transaction that records a provider's acceptance of
billable messages (WhatsApp template messages), a whole wave of them at once, so a receiver's
writes (the charges) commit or roll back together with the messages' states: one accepted
message, exactly one charge.

    @receiver(messages_accepted)
    def charge(sender, *, messages, **kwargs): ...

`messages_expired` is sent INSIDE the transaction that expires messages replaced by their
fallback (dispatch/fallback.py), with the ids of those messages: an expired message is never
billed, so a receiver takes back what it wrote for them, in the same transaction.
"""

from django.dispatch import Signal

messages_accepted = Signal()
messages_expired = Signal()
