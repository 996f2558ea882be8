"""Platform default copy in Dutch, addressing the shopper as "je" (the norm in Dutch and Flemish
web shops).

SMS bodies avoid ë and other letters outside the GSM-7 alphabet.

Every tag that may be empty sits in an optional part `[[...]]` worded so that the sentence still
reads right without it: "Hallo," rather than "Hallo ,".
"""

_GREETING = "Hallo[[ <<customer_name>>]],"
_FOOTER = (
    "Met vriendelijke groet,\nHet team van <<companyname>>\n\n"
    "Wil je deze e-mails niet meer ontvangen? Meld je hier af: <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>>: ' + text + ' Afmelden: <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Je bestelling[[ <<order_number>>]] is klaar voor verzending",
            "Goed nieuws: je bestelling[[ <<order_number>>]] is ingepakt en wordt binnenkort verzonden"
            "[[ met <<carrier>>]]. Je trackingnummer is <<tracking_number>>.",
            "Volg je pakket hier: <<tracking_url>>\n"
            "De eerste updates verschijnen zodra je pakket[[ door <<carrier>>]] is gescand.",
        ),
        "in_transit": _email(
            "Je bestelling[[ <<order_number>>]] is onderweg",
            "Je pakket is[[ met <<carrier>>]] onderweg naar je toe.[[ Verwachte bezorging: <<eta>>.]]",
            "Volg het stap voor stap: <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Je pakket wordt vandaag bezorgd",
            "Goed nieuws: je bestelling[[ <<order_number>>]] wordt vandaag[[ door <<carrier>>]] bezorgd.",
            "Volg de bezorging live: <<tracking_url>>",
        ),
        "delayed": _email(
            "Je bestelling[[ <<order_number>>]] heeft vertraging",
            "Sorry! Je pakket heeft vertraging[[, laat <<carrier>> ons weten]]."
            "[[ Nieuwe verwachte bezorging: <<eta>>.]]",
            "We houden het voor je in de gaten. Alle updates vind je hier: <<tracking_url>>",
            "Bedankt voor je geduld.",
        ),
        "delivery_failed": _email(
            "Je pakket kon niet worden bezorgd",
            "Je bestelling[[ <<order_number>>]] kon helaas niet worden bezorgd[[ door <<carrier>>]].",
            "Op de trackingpagina zie je wat er nu gebeurt en kun je, als de vervoerder dat aanbiedt, een nieuwe "
            "bezorgdag of een afhaalpunt kiezen: <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Je pakket ligt klaar om op te halen",
            "Je bestelling[[ <<order_number>>]] ligt voor je klaar om op te halen.[[ Je vindt het hier:\n"
            "<<pickup_point>>]]",
            "Neem je trackingnummer (<<tracking_number>>) en een geldig legitimatiebewijs mee. Het pakket blijft "
            "maar een beperkte tijd liggen, dus haal het snel op.",
            "Alle details: <<tracking_url>>",
        ),
        "delivered": _email(
            "Je bestelling[[ <<order_number>>]] is bezorgd",
            "Je pakket is bezorgd[[ door <<carrier>>]]. Veel plezier ermee!",
            "Kun je het niet vinden? Bekijk de bezorgdetails, misschien is het bij de buren afgegeven: "
            "<<tracking_url>>",
        ),
        "return_label_created": _email(
            "Je retourlabel[[ voor bestelling <<order_number>>]]",
            "Je retourlabel staat klaar. Pak de artikelen in, plak het label op de doos en lever het pakket in"
            "[[ bij <<carrier>>]].",
            "Het trackingnummer van je retour is <<tracking_number>>. Volg je retour hier: <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Je retour is onderweg naar ons",
            "Bedankt voor het inleveren van je retour[[ voor bestelling <<order_number>>]]. "
            "Het pakket is nu[[ met <<carrier>>]] onderweg naar ons.",
            "We laten het je weten zodra het binnen is. Volg het hier: <<tracking_url>>",
        ),
        "return_received": _email(
            "We hebben je retour ontvangen",
            "Je retour[[ voor bestelling <<order_number>>]] is aangekomen bij <<companyname>>. "
            "We controleren het en handelen het zo snel mogelijk af.",
            "Details van je retour: <<tracking_url>>",
        ),
        "post_purchase": _email(
            "Hoe bevalt je bestelling?",
            "Je bestelling[[ <<order_number>>]] is een paar dagen geleden bezorgd. We hopen dat je er blij mee bent!",
            "Klopt er iets niet of heb je een vraag? Laat het ons weten, we helpen je graag.",
            "Je bestelgegevens: <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Bestelling[[ <<order_number>>]] gaat snel op weg[[ met <<carrier>>]]. Volg: <<tracking_url>>'),
        "in_transit": _sms('Bestelling[[ <<order_number>>]] is onderweg.[[ Verwacht: <<eta>>.]] Volg: <<tracking_url>>'),
        "out_for_delivery": _sms('Bestelling[[ <<order_number>>]] wordt vandaag bezorgd[[ door <<carrier>>]]. Volg: <<tracking_url>>'),
        "delayed": _sms('Sorry, bestelling[[ <<order_number>>]] is vertraagd.[[ Nieuw: <<eta>>.]] Volg: <<tracking_url>>'),
        "delivery_failed": _sms("Pakket[[ <<order_number>>]] niet bezorgd. Stuur 1 datum, 2 afhaalpunt, 3 adres. <<tracking_url>>"),
        "ready_for_pickup": _sms('Bestelling[[ <<order_number>>]] ligt klaar om op te halen. Waar: <<tracking_url>>'),
        "delivered": _sms('Bestelling[[ <<order_number>>]] is bezorgd. Veel plezier! Details: <<tracking_url>>'),
        "return_label_created": _sms('Je retourlabel[[ (<<order_number>>)]] staat klaar. Volg: <<tracking_url>>'),
        "return_dropped_off": _sms('Bedankt, je retour[[ (<<order_number>>)]] is onderweg naar ons. Volg: <<tracking_url>>'),
        "return_received": _sms('We hebben je retour[[ (<<order_number>>)]] ontvangen. Details: <<tracking_url>>'),
        "post_purchase": _sms('Blij met bestelling[[ <<order_number>>]]? Vragen? We helpen graag: <<tracking_url>>'),
    },
}

# Antwoorden op berichten van shoppers via WhatsApp en sms (messaging.conversations.replies): hele
# zinnen; {brands} is een lijst winkelnamen, verbonden met "en".
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand}: je bestelling {order} betaal je bij aflevering: {amount}. Stuur JA om te bevestigen "
                    "of NEE als je hem niet wilt.",
    "cod_reminder": "{brand}: we hebben nog niets van je gehoord. Je bestelling {order} betaal je bij aflevering: "
                    "{amount}. Stuur JA om te bevestigen of NEE als je hem niet wilt.",
    "cod_confirmed": "{brand}: bedankt, je hebt bestelling {order} bevestigd: houd {amount} klaar aan de deur.",
    "cod_declined": "{brand}: bedankt, we hebben {brand} laten weten dat je bestelling {order} niet wilt. Ze nemen "
                    "contact met je op.",
    "rating_question": "{brand}: hoe verliep de bezorging van je bestelling {order}? Stuur een cijfer van 1 (slecht) "
                       "tot 5 (uitstekend).",
    "rating_thanks": "{brand}: bedankt voor je beoordeling ({score}/5). Wil je nog iets kwijt? Stuur dan een korte "
                     "opmerking.",
    "comment_thanks": "{brand}: bedankt, we hebben je opmerking doorgegeven.",
    "rating_email_subject": "{brand}: hoe verliep je bezorging?",
    "rating_email_intro": "Hoe verliep de bezorging van je bestelling {order}? Klik op een cijfer van 1 (slecht) tot "
                          "5 (uitstekend).",
    "rating_page_title": "Beoordeel je bezorging",
    "rating_recorded": "Bedankt: je gaf de bezorging een {score}/5.",
    "rating_already": "Deze bezorging is al beoordeeld met {score}/5. Bedankt!",
    "rating_comment_label": "Nog iets toe te voegen? (optioneel)",
    "rating_comment_send": "Opmerking versturen",
    "rating_comment_done": "Bedankt, we hebben je opmerking doorgegeven.",
}


REPLIES = {
    "and": "en",
    "stop": "Je ontvangt geen pakketupdates meer van {brands}. Stuur START om ze weer te ontvangen.",
    "start": "Je ontvangt weer pakketupdates van {brands}. Stuur STOP om ze te stoppen.",
    "track_found": "{brand}: de status van je bestelling {order} is: {status}. Volg je pakket hier: {url}",
    "track_not_found": "{brand}: we kunnen bestelling {order} niet vinden voor dit nummer. Controleer het nummer in "
                       "je orderbevestiging.",
    "track_none": "{brand}: we kunnen geen pakket vinden voor dit nummer.",
    "menu": "{brand}: stuur VOLG om te zien waar je pakket is, VOLG met een bestelnummer voor een andere bestelling, "
            "of STOP om geen berichten meer te ontvangen.",
    "not_understood": "{brand}: sorry, we begrijpen je bericht niet.",
    # Het begeleide gesprek na een mislukte bezorging (messaging.conversations.exchanges).
    "ex_reschedule_ask": "{brand}: op welke werkdag wil je dat we het opnieuw proberen te bezorgen?",
    "ex_list_button": "Kies een dag",
    "ex_reply_number": "Stuur het nummer van de dag.",
    "ex_not_a_choice": "{brand}: kies een van de voorgestelde dagen.",
    "ex_reschedule_done": "{brand}: bedankt, we hebben je verzoek voor een bezorging op {date} ontvangen. We regelen "
                          "het met de vervoerder en laten het je weten; tot dan blijft de bezorging zoals gepland.",
    "ex_pickup_ask": "{brand}: bij welk afhaalpunt wil je je pakket ophalen? Schrijf de naam en het adres.",
    "ex_pickup_done": "{brand}: bedankt, we hebben je verzoek ontvangen om het pakket op te halen bij: {text}. We "
                      "regelen het met de vervoerder en laten het je weten; tot dan blijft de bezorging zoals "
                      "gepland.",
    "ex_address_ask": "{brand}: schrijf het nieuwe bezorgadres volledig (straat en huisnummer, postcode, plaats).",
    "ex_address_confirm": "{brand}: klopt dit adres? {address} Stuur JA om te bevestigen of NEE om het opnieuw te "
                          "schrijven.",
    "ex_address_done": "{brand}: bedankt, we hebben je nieuwe adres ontvangen: {address}. We regelen het met de "
                       "vervoerder en laten het je weten; tot dan blijft de bezorging zoals gepland.",
    "ex_cancelled": "{brand}: in orde, we hebben niets doorgegeven. Je bezorging blijft zoals gepland.",
    "weekdays": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
