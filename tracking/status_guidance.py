"""What the tracking page says for statuses where "expected delivery" would be wrong or not enough:
a return (the parcel goes back, nothing is delivered to the shopper), a failed delivery (what to do
next) and a parcel waiting at a pickup point (where, and what to bring). Pure, like presentation.

Opening hours of a pickup point are not shown: no carrier adapter delivers them (the pickup point is
the ready-for-pickup event's location, one line of text), and the page does not invent them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from core.languages import DEFAULT_LANGUAGE, LANGUAGES
from tracking.statuses import GROUP_OF, Group, Status

COPY: dict[str, dict[str, str]] = {
    "en": {
        "return_label_created": "Your return label is ready. Attach it to the parcel and drop it off with the carrier.",
        "return_dropped_off": "Your return is on its way back to {brand}.",
        "return_received": "{brand} has received your return.",
        "failed_heading": "What happens now?",
        "failed_text": "The carrier could not deliver your parcel. Carriers usually try again on the next "
                       "working day, or leave a notice saying where you can collect it.",
        "failed_carrier": "Arrange a new delivery with {carrier}", "failed_carrier_unnamed": "Arrange a new delivery",
        "failed_brand": "Or contact {brand}, who will help you.",
        "pickup_heading": "Where to collect your parcel",
        "pickup_text": "Take an ID and your tracking number with you.",
        "pickup_unknown": "The carrier's notice or website says where your parcel is waiting.",
        "map": "Show on map",
    },
    "fr": {
        "return_label_created": "Votre étiquette de retour est prête. Collez-la sur le colis et déposez-le "
                                "chez le transporteur.",
        "return_dropped_off": "Votre retour est en route vers {brand}.",
        "return_received": "{brand} a bien reçu votre retour.",
        "failed_heading": "Et maintenant ?",
        "failed_text": "Le transporteur n'a pas pu livrer votre colis. En général, il repasse le jour ouvré "
                       "suivant ou laisse un avis indiquant où retirer le colis.",
        "failed_carrier": "Programmer une nouvelle livraison avec {carrier}",
        "failed_carrier_unnamed": "Programmer une nouvelle livraison",
        "failed_brand": "Ou contactez {brand}, qui vous aidera.",
        "pickup_heading": "Où retirer votre colis",
        "pickup_text": "Munissez-vous d'une pièce d'identité et de votre numéro de suivi.",
        "pickup_unknown": "L'avis de passage ou le site du transporteur indique où votre colis vous attend.",
        "map": "Voir sur la carte",
    },
    "de": {
        "return_label_created": "Ihr Retourenetikett ist fertig. Kleben Sie es auf das Paket und geben Sie es "
                                "beim Versanddienstleister ab.",
        "return_dropped_off": "Ihre Retoure ist auf dem Weg zurück zu {brand}.",
        "return_received": "{brand} hat Ihre Retoure erhalten.",
        "failed_heading": "Wie geht es weiter?",
        "failed_text": "Ihr Paket konnte nicht zugestellt werden. Meist versucht der Versanddienstleister es "
                       "am nächsten Werktag erneut oder hinterlässt eine Benachrichtigung, wo Sie es abholen können.",
        "failed_carrier": "Neue Zustellung mit {carrier} vereinbaren",
        "failed_carrier_unnamed": "Neue Zustellung vereinbaren",
        "failed_brand": "Oder wenden Sie sich an {brand}, wir helfen Ihnen gern.",
        "pickup_heading": "Wo Sie Ihr Paket abholen",
        "pickup_text": "Bringen Sie einen Ausweis und Ihre Sendungsnummer mit.",
        "pickup_unknown": "Die Benachrichtigung oder die Website des Versanddienstleisters nennt den Abholort.",
        "map": "Auf der Karte zeigen",
    },
    "nl": {
        "return_label_created": "Je retourlabel is klaar. Plak het op het pakket en lever het in bij de vervoerder.",
        "return_dropped_off": "Je retour is onderweg naar {brand}.",
        "return_received": "{brand} heeft je retour ontvangen.",
        "failed_heading": "Wat nu?",
        "failed_text": "De vervoerder kon je pakket niet bezorgen. Meestal probeert de vervoerder het de "
                       "volgende werkdag opnieuw, of laat een kaartje achter waar je het kunt ophalen.",
        "failed_carrier": "Plan een nieuwe bezorging met {carrier}",
        "failed_carrier_unnamed": "Plan een nieuwe bezorging",
        "failed_brand": "Of neem contact op met {brand}, we helpen je graag.",
        "pickup_heading": "Waar je je pakket ophaalt",
        "pickup_text": "Neem een identiteitsbewijs en je trackingnummer mee.",
        "pickup_unknown": "Op het kaartje of de website van de vervoerder staat waar je pakket ligt.",
        "map": "Toon op kaart",
    },
    "es": {
        "return_label_created": "Tu etiqueta de devolución está lista. Pégala en el paquete y entrégalo al "
                                "transportista.",
        "return_dropped_off": "Tu devolución va de camino a {brand}.",
        "return_received": "{brand} ha recibido tu devolución.",
        "failed_heading": "¿Y ahora qué?",
        "failed_text": "El transportista no pudo entregar tu paquete. Normalmente vuelve a intentarlo el "
                       "siguiente día laborable o deja un aviso indicando dónde recogerlo.",
        "failed_carrier": "Programar una nueva entrega con {carrier}",
        "failed_carrier_unnamed": "Programar una nueva entrega",
        "failed_brand": "O contacta con {brand}, que te ayudará.",
        "pickup_heading": "Dónde recoger tu paquete",
        "pickup_text": "Lleva un documento de identidad y tu número de seguimiento.",
        "pickup_unknown": "El aviso o la web del transportista indica dónde te espera tu paquete.",
        "map": "Ver en el mapa",
    },
    "it": {
        "return_label_created": "L'etichetta di reso è pronta. Applicala sul pacco e consegnalo al corriere.",
        "return_dropped_off": "Il tuo reso è in viaggio verso {brand}.",
        "return_received": "{brand} ha ricevuto il tuo reso.",
        "failed_heading": "E adesso?",
        "failed_text": "Il corriere non è riuscito a consegnare il tuo pacco. Di solito riprova il giorno "
                       "lavorativo successivo o lascia un avviso che indica dove ritirarlo.",
        "failed_carrier": "Programma una nuova consegna con {carrier}",
        "failed_carrier_unnamed": "Programma una nuova consegna",
        "failed_brand": "Oppure contatta {brand}, che ti aiuterà.",
        "pickup_heading": "Dove ritirare il tuo pacco",
        "pickup_text": "Porta con te un documento d'identità e il numero di tracking.",
        "pickup_unknown": "L'avviso o il sito del corriere indica dove ti aspetta il pacco.",
        "map": "Mostra sulla mappa",
    },
}

assert all(COPY[code].keys() == COPY[DEFAULT_LANGUAGE].keys() for code in LANGUAGES)

# Statuses after which "expected delivery" is no longer true: the parcel is at a pickup point, a
# delivery failed (the old date has passed), or it travels back to the shop.
_NO_EXPECTED_DELIVERY = frozenset({Status.DELIVERY_FAILED, Status.READY_FOR_PICKUP})


@dataclass(frozen=True)
class Guidance:
    kind: str  # "return", "failed", "pickup" or "" (nothing special to say)
    line: str = ""  # under the status in the page's header
    heading: str = ""  # a card of its own, for the next step
    text: str = ""
    action: str = ""  # the label of the carrier's link (failed delivery)
    contact: str = ""  # how to reach the brand (failed delivery)
    place: str = ""  # the pickup point
    map_url: str = ""
    map_label: str = ""


def shows_expected_delivery(status: str | None) -> bool:
    return status not in _NO_EXPECTED_DELIVERY and GROUP_OF.get(status) != Group.RETURNS


def guidance(status: str | None, language: str, *, brand: str, carrier: str, pickup_point: str) -> Guidance:
    copy = COPY.get(language, COPY[DEFAULT_LANGUAGE])
    if GROUP_OF.get(status) == Group.RETURNS:
        return Guidance("return", line=copy[status].replace("{brand}", brand))
    if status == Status.DELIVERY_FAILED:
        action = copy["failed_carrier"].replace("{carrier}", carrier) if carrier else copy["failed_carrier_unnamed"]
        return Guidance("failed", heading=copy["failed_heading"], text=copy["failed_text"], action=action,
                        contact=copy["failed_brand"].replace("{brand}", brand))
    if status == Status.READY_FOR_PICKUP:
        if not pickup_point:
            return Guidance("pickup", heading=copy["pickup_heading"], text=copy["pickup_unknown"])
        return Guidance("pickup", heading=copy["pickup_heading"], text=copy["pickup_text"], place=pickup_point,
                        map_url="https://www.openstreetmap.org/search?query=" + quote(pickup_point),
                        map_label=copy["map"])
    return Guidance("")
