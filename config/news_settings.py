"""Send decisions' settings (what is news), read from the environment like the rest of
config/settings.py, which imports them. A malformed value stops start-up, naming the item."""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# What config/settings.py takes (its own `env` and imports stay its own).
__all__ = ["EVENT_MAX_FUTURE_SECONDS", "NEWS_WINDOWS"]


def _parse_news_windows(text: str) -> dict[str, int]:
    from messaging.news import parse_windows  # pure: no models, no settings

    try:
        return parse_windows(text)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


# An event more than this far ahead of our clock is refused (in_the_future): it would freeze the parcel.
EVENT_MAX_FUTURE_SECONDS = env.int("EVENT_MAX_FUTURE_SECONDS", default=3600)
# News windows per status, overriding messaging/news.py's defaults: "out_for_delivery=12h,delivered=3d".
# A malformed value stops start-up, naming the item.
NEWS_WINDOWS = _parse_news_windows(env.str("NEWS_WINDOWS", default=""))
