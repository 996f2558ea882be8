"""A brand's sending policy as plain values and pure decisions on them (no database):

- `document`: the policy (frozen dataclasses), its defaults, and the check of the API document;
- `quiet_hours`: when a message held by quiet hours may go (`next_send_time`);
- `frequency_cap`: whether the per-shipment cap suppresses a status (`cap_suppresses`).

The shopper's time zone comes from tracking.shopper_zones.
"""
