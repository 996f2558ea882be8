"""The shopper's "link not found" page in the six languages (core.languages.LANGUAGES): a tracking
or unsubscribe link that was cut off, mistyped, or whose shop is gone. Plain dicts like the other
shopper pages (tracking/presentation.COPY, messaging/unsubscribe_copy)."""

from __future__ import annotations

from core.languages import DEFAULT_LANGUAGE, LANGUAGES

COPY: dict[str, dict[str, str]] = {
    "en": {
        "title": "Link not found", "heading": "This link does not work",
        "tracking_text": "The link may be incomplete, or this tracking page is no longer available.",
        "tracking_hint": "Open the link again from the latest message about your parcel, or ask the shop "
                         "where you ordered.",
        "unsubscribe_text": "This unsubscribe link is not valid: it may have been cut off.",
        "unsubscribe_hint": "Open it again from the message you received, or reply STOP to an SMS or "
                            "WhatsApp message.",
    },
    "fr": {
        "title": "Lien introuvable", "heading": "Ce lien ne fonctionne pas",
        "tracking_text": "Le lien est peut-être incomplet, ou cette page de suivi n'est plus disponible.",
        "tracking_hint": "Ouvrez à nouveau le lien depuis le dernier message concernant votre colis, ou "
                         "contactez la boutique où vous avez commandé.",
        "unsubscribe_text": "Ce lien de désinscription n'est pas valide : il a peut-être été coupé.",
        "unsubscribe_hint": "Ouvrez-le à nouveau depuis le message reçu, ou répondez STOP à un SMS ou à "
                            "un message WhatsApp.",
    },
    "de": {
        "title": "Link nicht gefunden", "heading": "Dieser Link funktioniert nicht",
        "tracking_text": "Der Link ist vielleicht unvollständig, oder diese Sendungsverfolgung ist nicht "
                         "mehr verfügbar.",
        "tracking_hint": "Öffnen Sie den Link erneut aus der letzten Nachricht zu Ihrem Paket, oder wenden "
                         "Sie sich an den Shop, in dem Sie bestellt haben.",
        "unsubscribe_text": "Dieser Abmeldelink ist ungültig: Er wurde vielleicht abgeschnitten.",
        "unsubscribe_hint": "Öffnen Sie ihn erneut aus der erhaltenen Nachricht, oder antworten Sie STOP "
                            "auf eine SMS oder WhatsApp-Nachricht.",
    },
    "nl": {
        "title": "Link niet gevonden", "heading": "Deze link werkt niet",
        "tracking_text": "De link is misschien onvolledig, of deze trackingpagina is niet meer beschikbaar.",
        "tracking_hint": "Open de link opnieuw vanuit het laatste bericht over je pakket, of neem contact "
                         "op met de winkel waar je hebt besteld.",
        "unsubscribe_text": "Deze afmeldlink is niet geldig: misschien is hij afgebroken.",
        "unsubscribe_hint": "Open hem opnieuw vanuit het bericht dat je hebt ontvangen, of antwoord STOP "
                            "op een sms of WhatsApp-bericht.",
    },
    "es": {
        "title": "Enlace no encontrado", "heading": "Este enlace no funciona",
        "tracking_text": "Puede que el enlace esté incompleto o que esta página de seguimiento ya no "
                         "esté disponible.",
        "tracking_hint": "Vuelve a abrir el enlace desde el último mensaje sobre tu paquete, o pregunta "
                         "en la tienda donde hiciste el pedido.",
        "unsubscribe_text": "Este enlace para darte de baja no es válido: puede que esté cortado.",
        "unsubscribe_hint": "Vuelve a abrirlo desde el mensaje que recibiste, o responde STOP a un SMS o "
                            "mensaje de WhatsApp.",
    },
    "it": {
        "title": "Link non trovato", "heading": "Questo link non funziona",
        "tracking_text": "Il link potrebbe essere incompleto, oppure questa pagina di tracking non è più "
                         "disponibile.",
        "tracking_hint": "Apri di nuovo il link dall'ultimo messaggio sul tuo pacco, oppure chiedi al "
                         "negozio in cui hai ordinato.",
        "unsubscribe_text": "Questo link per annullare l'iscrizione non è valido: forse è stato troncato.",
        "unsubscribe_hint": "Aprilo di nuovo dal messaggio ricevuto, oppure rispondi STOP a un SMS o a un "
                            "messaggio WhatsApp.",
    },
}

assert all(COPY[code].keys() == COPY[DEFAULT_LANGUAGE].keys() for code in LANGUAGES)
