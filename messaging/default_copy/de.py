"""Platform default copy in German, addressing the shopper as "Sie" (the safe default for shops
of every kind; a merchant who prefers "du" overrides the templates).

Umlauts and ß are in the GSM-7 alphabet, so German SMS stay cheap.

Every tag that may be empty sits in an optional part `[[...]]` worded so that the sentence still
reads right without it: "Hallo," rather than "Hallo ,".
"""

_GREETING = "Hallo[[ <<customer_name>>]],"
_FOOTER = (
    "Viele Grüße\nIhr Team von <<companyname>>\n\n"
    "Sie möchten diese E-Mails nicht mehr erhalten? Hier abmelden: <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>>: ' + text + ' Abmelden: <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Ihre Bestellung[[ <<order_number>>]] ist versandbereit",
            "Gute Nachrichten: Ihre Bestellung[[ <<order_number>>]] ist verpackt und wird in Kürze"
            "[[ mit <<carrier>>]] verschickt. Ihre Sendungsnummer lautet <<tracking_number>>.",
            "Hier können Sie Ihr Paket verfolgen: <<tracking_url>>\n"
            "Die ersten Informationen erscheinen, sobald das Paket[[ von <<carrier>>]] gescannt wurde.",
        ),
        "in_transit": _email(
            "Ihre Bestellung[[ <<order_number>>]] ist unterwegs",
            "Ihr Paket ist[[ mit <<carrier>>]] auf dem Weg zu Ihnen.[[ Voraussichtliche Zustellung: <<eta>>.]]",
            "Verfolgen Sie jeden Schritt: <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Ihr Paket kommt heute",
            "Ihre Bestellung[[ <<order_number>>]] ist[[ bei <<carrier>>]] in der Zustellung und sollte heute bei "
            "Ihnen ankommen.",
            "Aktueller Stand: <<tracking_url>>",
        ),
        "delayed": _email(
            "Ihre Bestellung[[ <<order_number>>]] verspätet sich",
            "Das tut uns leid: Ihr Paket verspätet sich[[, wie uns <<carrier>> mitgeteilt hat]]."
            "[[ Neue voraussichtliche Zustellung: <<eta>>.]]",
            "Wir behalten die Sendung im Blick. Alle Neuigkeiten finden Sie hier: <<tracking_url>>",
            "Vielen Dank für Ihre Geduld.",
        ),
        "delivery_failed": _email(
            "Ihr Paket konnte nicht zugestellt werden",
            "Ihre Bestellung[[ <<order_number>>]] konnte[[ von <<carrier>>]] leider nicht zugestellt werden.",
            "Auf der Sendungsseite sehen Sie, wie es weitergeht, und können, sofern der Versanddienstleister das "
            "anbietet, einen neuen Zustelltag oder eine Abholstelle wählen: <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Ihr Paket liegt zur Abholung bereit",
            "Ihre Bestellung[[ <<order_number>>]] liegt zur Abholung bereit."
            "[[ Sie finden sie hier:\n<<pickup_point>>]]",
            "Bitte bringen Sie Ihre Sendungsnummer (<<tracking_number>>) und einen Ausweis mit. Das Paket wird "
            "nur begrenzte Zeit aufbewahrt, holen Sie es also bald ab.",
            "Details zur Abholung: <<tracking_url>>",
        ),
        "delivered": _email(
            "Ihre Bestellung[[ <<order_number>>]] wurde zugestellt",
            "Ihr Paket wurde[[ von <<carrier>>]] zugestellt. Wir wünschen Ihnen viel Freude damit!",
            "Sie finden es nicht? In den Zustelldetails sehen Sie, ob es zum Beispiel bei Nachbarn abgegeben "
            "wurde: <<tracking_url>>",
        ),
        "return_label_created": _email(
            "Ihr Retourenetikett[[ für Bestellung <<order_number>>]]",
            "Ihr Retourenetikett ist fertig. Verpacken Sie die Artikel, kleben Sie das Etikett auf und geben Sie "
            "das Paket[[ bei <<carrier>>]] ab.",
            "Sendungsnummer Ihrer Retoure: <<tracking_number>>. Hier können Sie sie verfolgen: <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Ihre Retoure ist auf dem Weg zu uns",
            "Danke, dass Sie Ihre Retoure[[ zur Bestellung <<order_number>>]] abgegeben haben. "
            "Sie ist jetzt[[ mit <<carrier>>]] auf dem Weg zu uns.",
            "Wir melden uns, sobald sie angekommen ist. Sendungsverfolgung: <<tracking_url>>",
        ),
        "return_received": _email(
            "Ihre Retoure ist bei uns angekommen",
            "Ihre Retoure[[ zur Bestellung <<order_number>>]] ist bei <<companyname>> eingetroffen. "
            "Wir prüfen sie und bearbeiten sie so schnell wie möglich.",
            "Details zur Retoure: <<tracking_url>>",
        ),
        "post_purchase": _email(
            "Wie gefällt Ihnen Ihre Bestellung?",
            "Ihre Bestellung[[ <<order_number>>]] ist vor ein paar Tagen angekommen. Wir hoffen, Sie sind "
            "zufrieden!",
            "Falls etwas nicht passt oder Sie eine Frage haben, melden Sie sich gern bei uns. "
            "Wir helfen Ihnen weiter.",
            "Ihre Bestelldetails: <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Bestellung[[ <<order_number>>]] verpackt, Versand bald[[ mit <<carrier>>]]. Verfolgen: <<tracking_url>>'),
        "in_transit": _sms('Bestellung[[ <<order_number>>]] unterwegs.[[ Zustellung: <<eta>>.]] Verfolgen: <<tracking_url>>'),
        "out_for_delivery": _sms('Bestellung[[ <<order_number>>]] kommt heute[[ mit <<carrier>>]]. Verfolgen: <<tracking_url>>'),
        "delayed": _sms('Leider verspätet sich Bestellung[[ <<order_number>>]].[[ Neu: <<eta>>.]] Details: <<tracking_url>>'),
        "delivery_failed": _sms("Paket[[ <<order_number>>]] nicht zugestellt. Antwort 1 Termin 2 Abholort 3 Adresse. <<tracking_url>>"),
        "ready_for_pickup": _sms('Bestellung[[ <<order_number>>]] liegt zur Abholung bereit. Wo: <<tracking_url>>'),
        "delivered": _sms('Bestellung[[ <<order_number>>]] wurde zugestellt. Viel Freude! Details: <<tracking_url>>'),
        "return_label_created": _sms('Ihr Rücksendeetikett[[ (<<order_number>>)]] ist bereit. Verfolgen: <<tracking_url>>'),
        "return_dropped_off": _sms('Danke, Ihre Rücksendung[[ (<<order_number>>)]] ist unterwegs zu uns. Verfolgen: <<tracking_url>>'),
        "return_received": _sms('Ihre Rücksendung[[ (<<order_number>>)]] ist angekommen. Details: <<tracking_url>>'),
        "post_purchase": _sms('Alles gut mit Bestellung[[ <<order_number>>]]? Fragen? Wir helfen: <<tracking_url>>'),
    },
}

# Antworten auf Nachrichten der Kunden per WhatsApp und SMS (messaging.conversations.replies):
# ganze Sätze; {brands} ist eine Liste von Shopnamen, verbunden mit "und".
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand}: Ihre Bestellung {order} wird per Nachnahme bezahlt: {amount}. Antworten Sie JA zur "
                    "Bestätigung oder NEIN, wenn Sie sie nicht möchten.",
    "cod_reminder": "{brand}: Wir haben noch keine Antwort von Ihnen. Ihre Bestellung {order} wird per Nachnahme "
                    "bezahlt: {amount}. Antworten Sie JA zur Bestätigung oder NEIN, wenn Sie sie nicht möchten.",
    "cod_confirmed": "{brand}: Danke, Sie haben die Bestellung {order} bestätigt: Bitte halten Sie {amount} an der "
                     "Tür bereit.",
    "cod_declined": "{brand}: Danke, wir haben {brand} mitgeteilt, dass Sie die Bestellung {order} nicht möchten. "
                    "Man meldet sich bei Ihnen.",
    "rating_question": "{brand}: Wie war die Zustellung Ihrer Bestellung {order}? Antworten Sie mit einer Zahl von 1 "
                       "(schlecht) bis 5 (ausgezeichnet).",
    "rating_thanks": "{brand}: Danke für Ihre Bewertung ({score}/5). Wenn Sie möchten, antworten Sie mit einem kurzen "
                     "Kommentar.",
    "comment_thanks": "{brand}: Danke, wir haben Ihren Kommentar weitergegeben.",
    "rating_email_subject": "{brand}: Wie war Ihre Zustellung?",
    "rating_email_intro": "Wie war die Zustellung Ihrer Bestellung {order}? Klicken Sie auf eine Note von 1 "
                          "(schlecht) bis 5 (ausgezeichnet).",
    "rating_page_title": "Bewerten Sie Ihre Zustellung",
    "rating_recorded": "Danke: Sie haben die Zustellung mit {score}/5 bewertet.",
    "rating_already": "Diese Zustellung wurde bereits mit {score}/5 bewertet. Danke!",
    "rating_comment_label": "Möchten Sie etwas hinzufügen? (optional)",
    "rating_comment_send": "Kommentar senden",
    "rating_comment_done": "Danke, wir haben Ihren Kommentar weitergegeben.",
}


REPLIES = {
    "and": "und",
    "stop": "Sie erhalten keine Paket-Updates mehr von {brands}. Antworten Sie START, um sie wieder zu erhalten.",
    "start": "Sie erhalten wieder Paket-Updates von {brands}. Antworten Sie STOPP, um sie abzubestellen.",
    "track_found": "{brand}: Der Status Ihrer Bestellung {order} ist: {status}. Hier können Sie Ihr Paket verfolgen: "
                   "{url}",
    "track_not_found": "{brand}: Wir konnten die Bestellung {order} für diese Nummer nicht finden. Bitte prüfen Sie "
                       "die Nummer in Ihrer Bestellbestätigung.",
    "track_none": "{brand}: Wir konnten für diese Nummer kein Paket finden.",
    "menu": "{brand}: Antworten Sie SENDUNG, um zu sehen, wo Ihr Paket ist, SENDUNG mit einer Bestellnummer für eine "
            "andere Bestellung oder STOPP, um keine Nachrichten mehr zu erhalten.",
    "not_understood": "{brand}: Entschuldigung, wir haben Ihre Nachricht nicht verstanden.",
    # Der geführte Dialog nach einer fehlgeschlagenen Zustellung (messaging.conversations.exchanges).
    "ex_reschedule_ask": "{brand}: An welchem Werktag sollen wir die Zustellung erneut versuchen?",
    "ex_list_button": "Tag wählen",
    "ex_reply_number": "Antworten Sie mit der Nummer des Tages.",
    "ex_not_a_choice": "{brand}: Bitte wählen Sie einen der angebotenen Tage.",
    "ex_reschedule_done": "{brand}: Danke, wir haben Ihren Wunsch nach einer Zustellung am {date} erhalten. Wir "
                          "klären ihn mit dem Versanddienstleister und melden uns; bis dahin bleibt die Zustellung "
                          "wie geplant.",
    "ex_pickup_ask": "{brand}: An welcher Abholstelle möchten Sie Ihr Paket abholen? Bitte schreiben Sie Name und "
                     "Adresse.",
    "ex_pickup_done": "{brand}: Danke, wir haben Ihren Wunsch erhalten, das Paket hier abzuholen: {text}. Wir klären "
                      "ihn mit dem Versanddienstleister und melden uns; bis dahin bleibt die Zustellung wie geplant.",
    "ex_address_ask": "{brand}: Bitte schreiben Sie die neue Lieferadresse vollständig (Straße und Hausnummer, PLZ, "
                      "Ort).",
    "ex_address_confirm": "{brand}: Ist diese Adresse richtig? {address} Antworten Sie JA zur Bestätigung oder NEIN, "
                          "um sie neu zu schreiben.",
    "ex_address_done": "{brand}: Danke, wir haben Ihre neue Adresse erhalten: {address}. Wir klären sie mit dem "
                       "Versanddienstleister und melden uns; bis dahin bleibt die Zustellung wie geplant.",
    "ex_cancelled": "{brand}: In Ordnung, wir haben nichts weitergegeben. Ihre Zustellung bleibt wie geplant.",
    "weekdays": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
