"""What messaging tells the apps to its right (billing subscribes; messaging imports nothing of it).

`message_accepted` is sent INSIDE the transaction that records a provider's acceptance of a
billable message (a WhatsApp template message), so a receiver's write (the Charge) commits or
rolls back together with the message's state: one accepted message, exactly one charge.

    @receiver(message_accepted)
    def charge(sender, *, message, **kwargs): ...
"""

from django.dispatch import Signal

message_accepted = Signal()
