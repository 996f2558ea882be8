"""What messaging tells the apps to its right (billing subscribes; messaging imports nothing of it).

`messages_accepted` is sent INSIDE the transaction that records a provider's acceptance of
billable messages (WhatsApp template messages), a whole wave of them at once, so a receiver's
writes (the charges) commit or roll back together with the messages' states: one accepted
message, exactly one charge.

    @receiver(messages_accepted)
    def charge(sender, *, messages, **kwargs): ...
"""

from django.dispatch import Signal

messages_accepted = Signal()
