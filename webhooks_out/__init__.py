"""Outbound webhooks: what integrations hear (shipment status changes, message states, shopper
requests, ratings), signed, delivered from an outbox and retried for 24 hours.

Why an app of its own, just right of brands (brands <- webhooks_out <- tracking <- messaging <-
billing): a delivery row must be written in the transaction of the event it announces (so a
committed event is never lost and a rolled-back one never announced). tracking's signals fire
after commit, so a listener to the right of tracking could only write the outbox in a second
transaction. Below the apps, tracking and messaging call `events.publish` inside their own
transactions and the arrows still point left; this app knows event names and JSON, never
shipments or messages (each emitter builds its own `data`).
"""
