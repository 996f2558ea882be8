"""The unsubscribe page's words in the six languages shoppers read (core.languages.LANGUAGES).

Plain dicts like messaging/default_copy and tracking/presentation.COPY rather than gettext: the
shopper's language is chosen per request from the shipment (not from a user's setting), the
strings are few, and a translator reviews one file with every language side by side.
`{brand}` is filled by copy_for; the template escapes the result.
"""

from __future__ import annotations

from core.languages import DEFAULT_LANGUAGE, LANGUAGES

COPY: dict[str, dict[str, str]] = {
    "en": {
        "title": "Unsubscribe",
        "confirm_heading": "Stop parcel updates?",
        "confirm_text": "{brand} will stop sending parcel updates to:",
        "button_this": "Unsubscribe",
        "already_heading": "You are already unsubscribed",
        "already_text": "{brand} sends no parcel updates to:",
        "done_heading": "You are unsubscribed",
        "done_text": "{brand} will send no more parcel updates to:",
        "others_text": "Your other contact details at {brand} still receive parcel updates:",
        "all_heading": "Stop all channels of {brand}",
        "button_all": "Unsubscribe from all channels",
        "email": "E-mail", "phone": "SMS and WhatsApp",
        "undo_phone": "Changed your mind? Reply START to an SMS or WhatsApp message from {brand}.",
        "undo_email": "Changed your mind? Ask {brand} to send you parcel updates again.",
        "scope_note": "Only {brand} is affected: other shops keep their own lists.",
    },
    "fr": {
        "title": "Désinscription",
        "confirm_heading": "Ne plus recevoir le suivi de vos colis ?",
        "confirm_text": "{brand} cessera d'envoyer le suivi de vos colis à :",
        "button_this": "Me désinscrire",
        "already_heading": "Vous êtes déjà désinscrit",
        "already_text": "{brand} n'envoie plus le suivi de vos colis à :",
        "done_heading": "Vous êtes désinscrit",
        "done_text": "{brand} n'enverra plus le suivi de vos colis à :",
        "others_text": "Vos autres coordonnées chez {brand} reçoivent toujours le suivi de vos colis :",
        "all_heading": "Arrêter tous les canaux de {brand}",
        "button_all": "Me désinscrire de tous les canaux",
        "email": "E-mail", "phone": "SMS et WhatsApp",
        "undo_phone": "Vous avez changé d'avis ? Répondez START à un SMS ou à un message WhatsApp de {brand}.",
        "undo_email": "Vous avez changé d'avis ? Demandez à {brand} de vous envoyer à nouveau le suivi de vos colis.",
        "scope_note": "Seule la boutique {brand} est concernée : les autres boutiques gèrent leurs propres listes.",
    },
    "de": {
        "title": "Abmelden",
        "confirm_heading": "Keine Paket-Updates mehr erhalten?",
        "confirm_text": "{brand} sendet dann keine Paket-Updates mehr an:",
        "button_this": "Abmelden",
        "already_heading": "Sie sind bereits abgemeldet",
        "already_text": "{brand} sendet keine Paket-Updates an:",
        "done_heading": "Sie sind abgemeldet",
        "done_text": "{brand} sendet keine Paket-Updates mehr an:",
        "others_text": "Ihre anderen Kontaktdaten bei {brand} erhalten weiterhin Paket-Updates:",
        "all_heading": "Alle Kanäle von {brand} abbestellen",
        "button_all": "Von allen Kanälen abmelden",
        "email": "E-Mail", "phone": "SMS und WhatsApp",
        "undo_phone": "Doch anders entschieden? Antworten Sie START auf eine SMS oder WhatsApp-Nachricht von {brand}.",
        "undo_email": "Doch anders entschieden? Bitten Sie {brand}, Ihnen wieder Paket-Updates zu senden.",
        "scope_note": "Das betrifft nur {brand}: andere Shops führen ihre eigenen Listen.",
    },
    "nl": {
        "title": "Afmelden",
        "confirm_heading": "Geen pakketupdates meer ontvangen?",
        "confirm_text": "{brand} stuurt dan geen pakketupdates meer naar:",
        "button_this": "Afmelden",
        "already_heading": "Je bent al afgemeld",
        "already_text": "{brand} stuurt geen pakketupdates naar:",
        "done_heading": "Je bent afgemeld",
        "done_text": "{brand} stuurt geen pakketupdates meer naar:",
        "others_text": "Je andere contactgegevens bij {brand} ontvangen nog wel pakketupdates:",
        "all_heading": "Alle kanalen van {brand} stoppen",
        "button_all": "Afmelden voor alle kanalen",
        "email": "E-mail", "phone": "Sms en WhatsApp",
        "undo_phone": "Toch van gedachten veranderd? Antwoord START op een sms of WhatsApp-bericht van {brand}.",
        "undo_email": "Toch van gedachten veranderd? Vraag {brand} om je weer pakketupdates te sturen.",
        "scope_note": "Dit geldt alleen voor {brand}: andere winkels houden hun eigen lijsten bij.",
    },
    "es": {
        "title": "Darse de baja",
        "confirm_heading": "¿Dejar de recibir avisos de tus envíos?",
        "confirm_text": "{brand} dejará de enviar avisos de tus envíos a:",
        "button_this": "Darme de baja",
        "already_heading": "Ya te has dado de baja",
        "already_text": "{brand} no envía avisos de tus envíos a:",
        "done_heading": "Te has dado de baja",
        "done_text": "{brand} ya no enviará avisos de tus envíos a:",
        "others_text": "Tus otros datos de contacto en {brand} siguen recibiendo avisos de tus envíos:",
        "all_heading": "Detener todos los canales de {brand}",
        "button_all": "Darme de baja de todos los canales",
        "email": "Correo electrónico", "phone": "SMS y WhatsApp",
        "undo_phone": "¿Has cambiado de opinión? Responde START a un SMS o mensaje de WhatsApp de {brand}.",
        "undo_email": "¿Has cambiado de opinión? Pide a {brand} que vuelva a enviarte avisos de tus envíos.",
        "scope_note": "Solo afecta a {brand}: las demás tiendas gestionan sus propias listas.",
    },
    "it": {
        "title": "Annulla iscrizione",
        "confirm_heading": "Non ricevere più aggiornamenti sui pacchi?",
        "confirm_text": "{brand} smetterà di inviare aggiornamenti sui pacchi a:",
        "button_this": "Annulla iscrizione",
        "already_heading": "La tua iscrizione è già annullata",
        "already_text": "{brand} non invia aggiornamenti sui pacchi a:",
        "done_heading": "Iscrizione annullata",
        "done_text": "{brand} non invierà più aggiornamenti sui pacchi a:",
        "others_text": "Gli altri tuoi recapiti presso {brand} ricevono ancora aggiornamenti sui pacchi:",
        "all_heading": "Interrompi tutti i canali di {brand}",
        "button_all": "Annulla l'iscrizione da tutti i canali",
        "email": "E-mail", "phone": "SMS e WhatsApp",
        "undo_phone": "Hai cambiato idea? Rispondi START a un SMS o a un messaggio WhatsApp di {brand}.",
        "undo_email": "Hai cambiato idea? Chiedi a {brand} di inviarti di nuovo gli aggiornamenti sui pacchi.",
        "scope_note": "Riguarda solo {brand}: gli altri negozi gestiscono le proprie liste.",
    },
}

assert all(COPY[code].keys() == COPY[DEFAULT_LANGUAGE].keys() for code in LANGUAGES)


def copy_for(language: str, *, brand: str) -> dict[str, str]:
    strings = COPY.get(language, COPY[DEFAULT_LANGUAGE])
    return {key: text.replace("{brand}", brand) for key, text in strings.items()}
