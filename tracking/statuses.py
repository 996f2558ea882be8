"""The normalised status taxonomy. Every carrier's codes map onto these eleven codes.

Defined once here; every other app imports it (see ../shared/DESIGN.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.languages import DEFAULT_LANGUAGE, LANGUAGES  # noqa: F401 (re-exported: defined below every app)


class Status(models.TextChoices):
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELAYED = "delayed", _("Delayed")
    DELIVERY_FAILED = "delivery_failed", _("Delivery attempt failed")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    # A parcel delivered ("livré"), not a message delivered ("remis"): its own context.
    DELIVERED = "delivered", pgettext_lazy("parcel status", "Delivered")
    RETURN_LABEL_CREATED = "return_label_created", _("Return label created")
    RETURN_DROPPED_OFF = "return_dropped_off", _("Return dropped off")
    RETURN_RECEIVED = "return_received", _("Return received")
    POST_PURCHASE = "post_purchase", _("Post-purchase follow-up")


class Group(models.TextChoices):
    SHIPPING = "shipping", _("Shipping")
    RETURNS = "returns", _("Returns")
    POST_PURCHASE = "post-purchase", _("Post-purchase")


GROUP_OF = {
    Status.READY_TO_SHIP: Group.SHIPPING,
    Status.IN_TRANSIT: Group.SHIPPING,
    Status.OUT_FOR_DELIVERY: Group.SHIPPING,
    Status.DELAYED: Group.SHIPPING,
    Status.DELIVERY_FAILED: Group.SHIPPING,
    Status.READY_FOR_PICKUP: Group.SHIPPING,
    Status.DELIVERED: Group.SHIPPING,
    Status.RETURN_LABEL_CREATED: Group.RETURNS,
    Status.RETURN_DROPPED_OFF: Group.RETURNS,
    Status.RETURN_RECEIVED: Group.RETURNS,
    Status.POST_PURCHASE: Group.POST_PURCHASE,
}

ALL_CODES = tuple(Status.values)

# After these the carrier has nothing more to tell: polling stops.
TERMINAL = frozenset({Status.DELIVERED, Status.RETURN_RECEIVED, Status.POST_PURCHASE})

# Passing statuses are news only while the parcel is in them: one the parcel has already left when
# its message would go gives way to the newer one (`superseded`). Every other status is
# actionable (the shopper may have to act, or it closes the journey): always sent, in order.
PASSING = frozenset({Status.READY_TO_SHIP, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY,
                     Status.RETURN_LABEL_CREATED, Status.RETURN_DROPPED_OFF})
ACTIONABLE = frozenset(ALL_CODES) - PASSING

_LABELS = {
    # Written out, not read from Status.choices: those labels follow the panel's language (lazy).
    "en": {
        Status.READY_TO_SHIP: "Ready to ship",
        Status.IN_TRANSIT: "In transit",
        Status.OUT_FOR_DELIVERY: "Out for delivery",
        Status.DELAYED: "Delayed",
        Status.DELIVERY_FAILED: "Delivery attempt failed",
        Status.READY_FOR_PICKUP: "Ready for pickup",
        Status.DELIVERED: "Delivered",
        Status.RETURN_LABEL_CREATED: "Return label created",
        Status.RETURN_DROPPED_OFF: "Return dropped off",
        Status.RETURN_RECEIVED: "Return received",
        Status.POST_PURCHASE: "Post-purchase follow-up",
    },
    "fr": {
        Status.READY_TO_SHIP: "Prêt à être expédié",
        Status.IN_TRANSIT: "En transit",
        Status.OUT_FOR_DELIVERY: "En cours de livraison",
        Status.DELAYED: "Retardé",
        Status.DELIVERY_FAILED: "Échec de livraison",
        Status.READY_FOR_PICKUP: "Prêt à être retiré",
        Status.DELIVERED: "Livré",
        Status.RETURN_LABEL_CREATED: "Étiquette de retour créée",
        Status.RETURN_DROPPED_OFF: "Retour déposé",
        Status.RETURN_RECEIVED: "Retour reçu",
        Status.POST_PURCHASE: "Suivi après achat",
    },
    "de": {
        Status.READY_TO_SHIP: "Versandbereit",
        Status.IN_TRANSIT: "Unterwegs",
        Status.OUT_FOR_DELIVERY: "In Zustellung",
        Status.DELAYED: "Verspätet",
        Status.DELIVERY_FAILED: "Zustellversuch fehlgeschlagen",
        Status.READY_FOR_PICKUP: "Abholbereit",
        Status.DELIVERED: "Zugestellt",
        Status.RETURN_LABEL_CREATED: "Retourenetikett erstellt",
        Status.RETURN_DROPPED_OFF: "Retoure abgegeben",
        Status.RETURN_RECEIVED: "Retoure erhalten",
        Status.POST_PURCHASE: "Nach dem Kauf",
    },
    "nl": {
        Status.READY_TO_SHIP: "Klaar voor verzending",
        Status.IN_TRANSIT: "Onderweg",
        Status.OUT_FOR_DELIVERY: "Wordt vandaag bezorgd",
        Status.DELAYED: "Vertraagd",
        Status.DELIVERY_FAILED: "Bezorgpoging mislukt",
        Status.READY_FOR_PICKUP: "Klaar om op te halen",
        Status.DELIVERED: "Bezorgd",
        Status.RETURN_LABEL_CREATED: "Retourlabel aangemaakt",
        Status.RETURN_DROPPED_OFF: "Retour afgegeven",
        Status.RETURN_RECEIVED: "Retour ontvangen",
        Status.POST_PURCHASE: "Na je aankoop",
    },
    "es": {
        Status.READY_TO_SHIP: "Listo para enviar",
        Status.IN_TRANSIT: "En tránsito",
        Status.OUT_FOR_DELIVERY: "En reparto",
        Status.DELAYED: "Retrasado",
        Status.DELIVERY_FAILED: "Intento de entrega fallido",
        Status.READY_FOR_PICKUP: "Listo para recoger",
        Status.DELIVERED: "Entregado",
        Status.RETURN_LABEL_CREATED: "Etiqueta de devolución creada",
        Status.RETURN_DROPPED_OFF: "Devolución entregada en punto",
        Status.RETURN_RECEIVED: "Devolución recibida",
        Status.POST_PURCHASE: "Después de tu compra",
    },
    "it": {
        Status.READY_TO_SHIP: "Pronto per la spedizione",
        Status.IN_TRANSIT: "In transito",
        Status.OUT_FOR_DELIVERY: "In consegna",
        Status.DELAYED: "In ritardo",
        Status.DELIVERY_FAILED: "Tentativo di consegna fallito",
        Status.READY_FOR_PICKUP: "Pronto per il ritiro",
        Status.DELIVERED: "Consegnato",
        Status.RETURN_LABEL_CREATED: "Etichetta di reso creata",
        Status.RETURN_DROPPED_OFF: "Reso consegnato",
        Status.RETURN_RECEIVED: "Reso ricevuto",
        Status.POST_PURCHASE: "Dopo l'acquisto",
    },
}


def status_label(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Human label of a status in a language, falling back to English."""
    labels = _LABELS.get(language) or _LABELS[DEFAULT_LANGUAGE]
    return labels.get(code) or _LABELS[DEFAULT_LANGUAGE][code]
