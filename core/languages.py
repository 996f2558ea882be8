"""The six languages Parcelcast writes to shoppers in (brands' default language, shipments'
language, default copy). Defined below the apps so that brands need not import tracking."""

LANGUAGES = ("en", "fr", "de", "nl", "es", "it")
DEFAULT_LANGUAGE = "en"
