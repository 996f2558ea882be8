"""What the public tracking pages show: their copy in six languages, the progress steps and the
shopper's time zone. Pure: no queries (views pass the rows in), no template logic."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils import formats, translation

from core.country_zones import ZONES  # the shopper's clock: destination countries with one zone; others UTC
from tracking.carriers import UnknownCarrier, get_adapter
from tracking.carriers.registry import adapter_class
from tracking.models import Source
from tracking.statuses import DEFAULT_LANGUAGE, GROUP_OF, Group, Status, status_label

COPY: dict[str, dict[str, str]] = {
    "en": {
        "order": "Order {number}", "pickup_at": "Waiting for you at",
        "expected_delivery": "Expected delivery", "delivered_on": "Delivered on",
        "delivery_photo": "Photo of your parcel where it was delivered",
        "tracking_number": "Tracking number", "carrier": "Carrier", "destination": "Destination",
        "history": "Shipment history", "awaiting": "Waiting for the first scan", "last_update": "Last update",
        "no_events": "Your order is registered. Its journey appears here as soon as the carrier scans your parcel.",
        "help_title": "Questions about your order?", "help_text": "The {brand} team is happy to help.",
        "email_us": "E-mail", "whatsapp": "WhatsApp", "carrier_site": "Carrier website",
        "powered_by": "Tracking by Parcelcast", "progress": "Progress",
        "lookup_title": "Track your order",
        "lookup_intro": "Enter your order number and postal code to see where your parcel is.",
        "order_number": "Order number", "postal_code": "Postal code", "submit": "Track my parcel",
        "not_found": "No parcel found with those details. Check your order number and postal code and try again.",
    },
    "fr": {
        "order": "Commande {number}", "pickup_at": "Vous attend chez",
        "expected_delivery": "Livraison prévue", "delivered_on": "Livré le",
        "delivery_photo": "Photo de votre colis à l'endroit où il a été livré",
        "tracking_number": "Numéro de suivi", "carrier": "Transporteur", "destination": "Destination",
        "history": "Historique de l'envoi", "awaiting": "En attente du premier scan",
        "last_update": "Dernière mise à jour",
        "no_events": "Votre commande est enregistrée. Son parcours s'affichera ici dès que le transporteur "
                     "aura scanné votre colis.",
        "help_title": "Une question sur votre commande ?", "help_text": "L'équipe {brand} est là pour vous aider.",
        "email_us": "E-mail", "whatsapp": "WhatsApp", "carrier_site": "Site du transporteur",
        "powered_by": "Suivi par Parcelcast", "progress": "Progression",
        "lookup_title": "Suivre ma commande",
        "lookup_intro": "Saisissez votre numéro de commande et votre code postal pour savoir où se trouve votre colis.",
        "order_number": "Numéro de commande", "postal_code": "Code postal", "submit": "Suivre mon colis",
        "not_found": "Aucun colis trouvé avec ces informations. Vérifiez votre numéro de commande et votre "
                     "code postal, puis réessayez.",
    },
    "de": {
        "order": "Bestellung {number}", "pickup_at": "Abholbereit bei",
        "expected_delivery": "Voraussichtliche Zustellung",
        "delivered_on": "Zugestellt am",
        "delivery_photo": "Foto Ihres Pakets am Zustellort", "tracking_number": "Sendungsnummer", "carrier": "Versanddienstleister",
        "destination": "Ziel", "history": "Sendungsverlauf", "awaiting": "Warten auf den ersten Scan",
        "last_update": "Letzte Aktualisierung",
        "no_events": "Ihre Bestellung ist registriert. Der Sendungsverlauf erscheint hier, sobald Ihr Paket "
                     "zum ersten Mal gescannt wird.",
        "help_title": "Fragen zu Ihrer Bestellung?", "help_text": "Das Team von {brand} hilft Ihnen gern.",
        "email_us": "E-Mail", "whatsapp": "WhatsApp", "carrier_site": "Website des Versanddienstleisters",
        "powered_by": "Sendungsverfolgung von Parcelcast", "progress": "Fortschritt",
        "lookup_title": "Bestellung verfolgen",
        "lookup_intro": "Geben Sie Ihre Bestellnummer und Postleitzahl ein, um zu sehen, wo Ihr Paket ist.",
        "order_number": "Bestellnummer", "postal_code": "Postleitzahl", "submit": "Paket finden",
        "not_found": "Mit diesen Angaben wurde kein Paket gefunden. Bitte prüfen Sie Bestellnummer und "
                     "Postleitzahl und versuchen Sie es erneut.",
    },
    "nl": {
        "order": "Bestelling {number}", "pickup_at": "Ligt klaar bij",
        "expected_delivery": "Verwachte bezorging", "delivered_on": "Bezorgd op",
        "delivery_photo": "Foto van je pakket waar het is bezorgd",
        "tracking_number": "Trackingnummer", "carrier": "Vervoerder", "destination": "Bestemming",
        "history": "Verzendgeschiedenis", "awaiting": "Wacht op de eerste scan", "last_update": "Laatste update",
        "no_events": "Je bestelling is geregistreerd. Zodra de vervoerder je pakket scant, zie je hier waar het is.",
        "help_title": "Vragen over je bestelling?", "help_text": "Het team van {brand} helpt je graag.",
        "email_us": "E-mail", "whatsapp": "WhatsApp", "carrier_site": "Website van de vervoerder",
        "powered_by": "Tracking door Parcelcast", "progress": "Voortgang",
        "lookup_title": "Volg je bestelling",
        "lookup_intro": "Vul je bestelnummer en postcode in om te zien waar je pakket is.",
        "order_number": "Bestelnummer", "postal_code": "Postcode", "submit": "Zoek mijn pakket",
        "not_found": "Geen pakket gevonden met deze gegevens. Controleer je bestelnummer en postcode en "
                     "probeer het opnieuw.",
    },
    "es": {
        "order": "Pedido {number}", "pickup_at": "Te espera en",
        "expected_delivery": "Entrega prevista", "delivered_on": "Entregado el",
        "delivery_photo": "Foto de tu paquete en el lugar de entrega",
        "tracking_number": "Número de seguimiento", "carrier": "Transportista", "destination": "Destino",
        "history": "Historial del envío", "awaiting": "Esperando el primer escaneo",
        "last_update": "Última actualización",
        "no_events": "Tu pedido está registrado. Su recorrido aparecerá aquí en cuanto el transportista "
                     "escanee tu paquete.",
        "help_title": "¿Preguntas sobre tu pedido?", "help_text": "El equipo de {brand} te ayudará con gusto.",
        "email_us": "Correo", "whatsapp": "WhatsApp", "carrier_site": "Web del transportista",
        "powered_by": "Seguimiento por Parcelcast", "progress": "Progreso",
        "lookup_title": "Sigue tu pedido",
        "lookup_intro": "Introduce tu número de pedido y tu código postal para ver dónde está tu paquete.",
        "order_number": "Número de pedido", "postal_code": "Código postal", "submit": "Buscar mi paquete",
        "not_found": "No hemos encontrado ningún paquete con esos datos. Revisa el número de pedido y el "
                     "código postal e inténtalo de nuevo.",
    },
    "it": {
        "order": "Ordine {number}", "pickup_at": "Ti aspetta presso",
        "expected_delivery": "Consegna prevista", "delivered_on": "Consegnato il",
        "delivery_photo": "Foto del tuo pacco nel luogo di consegna",
        "tracking_number": "Numero di tracking", "carrier": "Corriere", "destination": "Destinazione",
        "history": "Cronologia della spedizione", "awaiting": "In attesa della prima scansione",
        "last_update": "Ultimo aggiornamento",
        "no_events": "Il tuo ordine è registrato. Il percorso apparirà qui non appena il corriere "
                     "scansionerà il tuo pacco.",
        "help_title": "Domande sul tuo ordine?", "help_text": "Il team di {brand} è qui per aiutarti.",
        "email_us": "E-mail", "whatsapp": "WhatsApp", "carrier_site": "Sito del corriere",
        "powered_by": "Tracking di Parcelcast", "progress": "Avanzamento",
        "lookup_title": "Traccia il tuo ordine",
        "lookup_intro": "Inserisci il numero d'ordine e il CAP per vedere dove si trova il tuo pacco.",
        "order_number": "Numero d'ordine", "postal_code": "CAP", "submit": "Trova il mio pacco",
        "not_found": "Nessun pacco trovato con questi dati. Controlla il numero d'ordine e il CAP e riprova.",
    },
}

# Parcelcast's own `delayed` event (a parcel with no scan for too long: tracking/stalls.py).
NO_SCAN: dict[str, str] = {
    "en": "No scan from {carrier} since {date}",
    "fr": "Aucun scan de {carrier} depuis le {date}",
    "de": "Kein Scan von {carrier} seit {date}",
    "nl": "Geen scan van {carrier} sinds {date}",
    "es": "Sin escaneo de {carrier} desde el {date}",
    "it": "Nessuna scansione di {carrier} da {date}",
}
# The same when the carrier has no name a shopper knows (a `manual` shipment without carrier_name).
NO_SCAN_UNNAMED: dict[str, str] = {
    "en": "No carrier scan since {date}",
    "fr": "Aucun scan du transporteur depuis le {date}",
    "de": "Kein Scan des Versanddienstleisters seit {date}",
    "nl": "Geen scan van de vervoerder sinds {date}",
    "es": "Sin escaneo del transportista desde el {date}",
    "it": "Nessuna scansione del corriere da {date}",
}
# The note's date, day first with its weekday, as the pages around it write dates: the panel's
# "Mon 30 Nov 2026" in English (whose note is also the stored event text the panel and the API
# show), the shopper page's weekday, day and month in the other languages. Not DATE_FORMAT:
# English's is American ("Nov. 30, 2026") and Italian's capitalises the month ("01 Giugno").
NO_SCAN_DATE_FORMAT: dict[str, str] = {
    "en": "D j M Y",
    "fr": "l j F Y",
    "de": "l, j. F Y",
    "nl": "l j F Y",
    "es": r"l j \d\e F \d\e Y",
    "it": "l j F Y",
}
# Languages that write weekdays and months in lower case inside a sentence, whatever Django's
# month names say (its Italian ones are capitalised).
_LOWER_CASE_DATES = frozenset({"it"})

_SHIPPING_STEPS = (Status.READY_TO_SHIP, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY, Status.DELIVERED)
_RETURN_STEPS = (Status.RETURN_LABEL_CREATED, Status.RETURN_DROPPED_OFF, Status.RETURN_RECEIVED)
# Where a status sits on the shipping bar (statuses off the happy path sit where they happen).
_POSITION = {
    Status.READY_TO_SHIP: 0, Status.IN_TRANSIT: 1, Status.DELAYED: 1, Status.OUT_FOR_DELIVERY: 2,
    Status.DELIVERY_FAILED: 2, Status.READY_FOR_PICKUP: 2, Status.DELIVERED: 3, Status.POST_PURCHASE: 3,
}
ATTENTION = frozenset({Status.DELAYED, Status.DELIVERY_FAILED})
DONE = frozenset({Status.DELIVERED, Status.POST_PURCHASE, Status.RETURN_RECEIVED})
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#4f46e5"


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def language_of(code: str | None) -> str:
    return code if code in COPY else DEFAULT_LANGUAGE


def copy_for(language: str, **values: str) -> dict[str, str]:
    """The page's strings; `values` fill placeholders (the template escapes the result)."""
    strings = dict(COPY[language_of(language)])
    for key, text in strings.items():
        if "{" in text:
            strings[key] = text.format_map(_Defaulting(values))
    return strings


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return ""


def zone_for(country_code: str) -> ZoneInfo:
    return ZoneInfo(ZONES.get((country_code or "").upper(), "UTC"))


def safe_colour(value: str) -> str:
    """A brand colour that can go into a style attribute (the model validates it; this is the
    belt to its braces, since HTML escaping does not make CSS safe)."""
    return value if _HEX.match(value or "") else DEFAULT_COLOUR


def ink_for(colour: str) -> str:
    """Black or white text, whichever reads better on the brand colour (WCAG luminance)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    colour = safe_colour(colour)
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast against white vs against near-black (#111827, luminance ~0.012).
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.062) else "#111827"


def progress(status: str | None, language: str) -> list[Step]:
    """The bar over the shipping steps (or the return steps once a return has started)."""
    if status is not None and GROUP_OF.get(status) == Group.RETURNS:
        steps, position = _RETURN_STEPS, _RETURN_STEPS.index(status)
    else:
        steps, position = _SHIPPING_STEPS, _POSITION.get(status, -1)
    labels = [status_label(code, language) for code in steps]
    if status == Status.READY_FOR_PICKUP:
        labels[2] = status_label(Status.READY_FOR_PICKUP, language)
    complete = status in DONE
    return [
        Step(label, "done" if index < position or (complete and index == position) else
             "current" if index == position else "todo")
        for index, label in enumerate(labels)
    ]


def no_scan_text(language: str, *, carrier: str, since: datetime, zone: tzinfo) -> str:
    """"No scan from <carrier> since <date>", the date as the pages around it write dates in that
    language (NO_SCAN_DATE_FORMAT), in the zone."""
    language = language_of(language)
    with translation.override(language):
        day = formats.date_format(since.astimezone(zone).date(), NO_SCAN_DATE_FORMAT[language])
    if language in _LOWER_CASE_DATES:
        day = day.lower()
    if not carrier:
        return NO_SCAN_UNNAMED[language].format(date=day)
    return NO_SCAN[language].format(carrier=carrier, date=day)


def stall_note(events: Sequence, index: int, language: str, *, carrier: str, zone: tzinfo) -> str | None:
    """What the page says for Parcelcast's own delay (`events` newest first): no scan since the
    carrier event before it. None for the carrier's events, which speak for themselves."""
    if events[index].source != Source.PARCELCAST:
        return None
    scan = next((event for event in events[index + 1:] if event.source != Source.PARCELCAST), None)
    return None if scan is None else no_scan_text(language, carrier=carrier, since=scan.occurred_at, zone=zone)


# Carrier codes that name no carrier a shopper knows: `manual` only says that the integration
# sends the events. Without the shipment's own carrier_name, such a shipment shows no carrier.
_UNNAMED_CARRIERS = frozenset({"manual"})


def carrier_name(code: str) -> str:
    """'DHL' for 'dhl', 'Sandbox' for 'sandbox' (whose adapter is named "Sandbox (simulated)");
    an unknown code is shown as it is."""
    try:
        return adapter_class(code).name.split(" (", 1)[0]
    except UnknownCarrier:
        return code


def shopper_carrier_name(shipment) -> str:
    """The carrier as messages (<<carrier>>) and the tracking page name it: the shipment's own
    `carrier_name` (e.g. "PostNL" for a manual shipment), else the adapter's name; '' for a
    manual shipment without one, so that the text leaves the carrier out."""
    if shipment.carrier_name:
        return shipment.carrier_name
    return "" if shipment.carrier in _UNNAMED_CARRIERS else carrier_name(shipment.carrier)



def carrier_link(code: str, tracking_number: str) -> str | None:
    try:
        return get_adapter(code).public_tracking_url(tracking_number)
    except UnknownCarrier:
        return None


def whatsapp_link(number: str) -> str | None:
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    return f"https://wa.me/{digits}" if digits else None
