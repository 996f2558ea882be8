"""Rate limits' settings (core/ratelimit.py), read from the environment like the rest of
config/settings.py, which imports them."""

import environ

env = environ.Env()

# What config/settings.py takes (its own `env` stays its own).
__all__ = ["THROTTLE_RATES"]

# "N/period" with period s, m, h or d. API: per key (or member session) and per address without one;
# public pages and webhooks: per client address (the lookup also per brand, counting misses).
# Budgets of misses (lookups, key secrets, a `shared` and an `own` scope: core.ratelimit.MissBudget)
# hold back the addresses that missed once the shared budget is spent, never a right answer.
THROTTLE_RATES = {
    "api_key": env.str("THROTTLE_API_KEY", default="1200/m"),
    "api_auth_failures": env.str("THROTTLE_API_AUTH_FAILURES", default="30/m"),
    "api_key_prefix_failures": env.str("THROTTLE_API_KEY_PREFIX_FAILURES", default="20/h"),
    "api_key_prefix_failures_per_address": env.str("THROTTLE_API_KEY_PREFIX_FAILURES_PER_ADDRESS", default="3/h"),
    "tracking_page": env.str("THROTTLE_TRACKING_PAGE", default="120/m"),
    "tracking_lookup": env.str("THROTTLE_TRACKING_LOOKUP", default="20/m"),
    "tracking_lookup_brand_misses": env.str("THROTTLE_TRACKING_LOOKUP_BRAND_MISSES", default="300/h"),
    "tracking_lookup_address_misses": env.str("THROTTLE_TRACKING_LOOKUP_ADDRESS_MISSES", default="5/h"),
    "password_reset": env.str("THROTTLE_PASSWORD_RESET", default="5/h"),
    "password_reset_account": env.str("THROTTLE_PASSWORD_RESET_ACCOUNT", default="3/h"),
    "unsubscribe": env.str("THROTTLE_UNSUBSCRIBE", default="30/m"),
    "webhook": env.str("THROTTLE_WEBHOOK", default="1200/m"),
}
