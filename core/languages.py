"""The six languages Parcelcast writes to shoppers in (brands' default language, shipments'
language, default copy). Defined below the apps so that brands need not import tracking."""

LANGUAGES = ("en", "fr", "de", "nl", "es", "it")
DEFAULT_LANGUAGE = "en"


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages the browser asks for ('fr-BE,fr;q=0.9,en;q=0.5' -> 'fr'), by
    the header's own weights; None when it names none of them (or is missing or malformed)."""
    weighted = []
    for position, part in enumerate((header or "").split(",")[:20]):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        base = code.strip().replace("_", "-").split("-", 1)[0].lower()
        if base in LANGUAGES and weight > 0:
            weighted.append((-weight, position, base))
    return min(weighted)[2] if weighted else None


def shopper_language(request, *known: str | None, fallback: str | None = None) -> str:
    """The language of a page for a shopper: the first `known` one we write (the shipment's),
    else the browser's Accept-Language, else `fallback` (a brand's default), else English."""
    for candidate in known:
        if candidate in LANGUAGES:
            return candidate
    browser = from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))
    return browser or (fallback if fallback in LANGUAGES else DEFAULT_LANGUAGE)
