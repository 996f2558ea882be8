"""Platform default copy in Italian, addressing the shopper as "tu" as Italian web shops do.

à, è, é, ì, ò and ù are all in the GSM-7 alphabet, so Italian SMS stay cheap.

Every tag that may be empty sits in an optional part `[[...]]` worded so that the sentence still
reads right without it: "Ciao," rather than "Ciao ,".
"""

_GREETING = "Ciao[[ <<customer_name>>]],"
_FOOTER = (
    "A presto,\nIl team di <<companyname>>\n\n"
    "Non vuoi più ricevere queste e-mail? Annulla l'iscrizione qui: <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>>: ' + text + ' Stop SMS: <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Il tuo ordine[[ <<order_number>>]] è pronto per la spedizione",
            "Buone notizie: il tuo ordine[[ <<order_number>>]] è stato imballato e a breve verrà spedito"
            "[[ con <<carrier>>]]. Il codice di tracciamento è <<tracking_number>>.",
            "Segui il tuo pacco qui: <<tracking_url>>\n"
            "I primi aggiornamenti compariranno non appena il pacco sarà stato scansionato[[ da <<carrier>>]].",
        ),
        "in_transit": _email(
            "Il tuo ordine[[ <<order_number>>]] è in viaggio",
            "Il tuo pacco è in viaggio[[ con <<carrier>>]].[[ Consegna prevista: <<eta>>.]]",
            "Seguilo passo dopo passo: <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Il tuo pacco arriva oggi",
            "Il tuo ordine[[ <<order_number>>]] è in consegna[[ con <<carrier>>]] e dovrebbe arrivare oggi.",
            "Segui la consegna in tempo reale: <<tracking_url>>",
        ),
        "delayed": _email(
            "Il tuo ordine[[ <<order_number>>]] è in ritardo",
            "Ci dispiace: il tuo pacco è in ritardo[[, come ci ha comunicato <<carrier>>]]."
            "[[ Nuova consegna prevista: <<eta>>.]]",
            "Lo stiamo tenendo d'occhio. Trovi tutti gli aggiornamenti qui: <<tracking_url>>",
            "Grazie per la pazienza.",
        ),
        "delivery_failed": _email(
            "Non è stato possibile consegnare il tuo pacco",
            "Il tentativo di consegna del tuo ordine[[ <<order_number>>]][[ da parte di <<carrier>>]] non è andato "
            "a buon fine.",
            "Nella pagina di tracciamento trovi i prossimi passi e, se il corriere lo consente, puoi scegliere "
            "un nuovo giorno di consegna o un punto di ritiro: <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Il tuo pacco è pronto per il ritiro",
            "Il tuo ordine[[ <<order_number>>]] è pronto per il ritiro.[[ Ti aspetta qui:\n<<pickup_point>>]]",
            "Porta con te il codice di tracciamento (<<tracking_number>>) e un documento d'identità. Il pacco "
            "resta in giacenza solo per pochi giorni, quindi ritiralo presto.",
            "Dettagli del ritiro: <<tracking_url>>",
        ),
        "delivered": _email(
            "Il tuo ordine[[ <<order_number>>]] è stato consegnato",
            "Il tuo pacco è stato consegnato[[ da <<carrier>>]]. Speriamo che ti piaccia!",
            "Non lo trovi? Controlla i dettagli della consegna, magari è stato lasciato a un vicino: "
            "<<tracking_url>>",
        ),
        "return_label_created": _email(
            "La tua etichetta di reso[[ per l'ordine <<order_number>>]]",
            "La tua etichetta di reso è pronta. Imballa gli articoli, applica l'etichetta sul pacco e "
            "consegnalo[[ a <<carrier>>]].",
            "Il codice di tracciamento del reso è <<tracking_number>>. Seguilo qui: <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Il tuo reso è in viaggio verso di noi",
            "Grazie per aver consegnato il reso[[ dell'ordine <<order_number>>]]. Ora è in viaggio verso di noi"
            "[[ con <<carrier>>]].",
            "Ti avviseremo non appena arriva. Seguilo qui: <<tracking_url>>",
        ),
        "return_received": _email(
            "Abbiamo ricevuto il tuo reso",
            "Il reso[[ dell'ordine <<order_number>>]] è stato ricevuto da <<companyname>>. "
            "Lo controlleremo e lo elaboreremo il prima possibile.",
            "Dettagli del reso: <<tracking_url>>",
        ),
        "post_purchase": _email(
            "Come ti trovi con il tuo ordine?",
            "Il tuo ordine[[ <<order_number>>]] è arrivato qualche giorno fa: speriamo che ti stia piacendo!",
            "Se qualcosa non va o hai una domanda, scrivici: saremo felici di aiutarti.",
            "I dettagli del tuo ordine: <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Ordine[[ <<order_number>>]] pronto, parte presto[[ con <<carrier>>]]. Segui: <<tracking_url>>'),
        "in_transit": _sms('Ordine[[ <<order_number>>]] in viaggio.[[ Arrivo: <<eta>>.]] Segui: <<tracking_url>>'),
        "out_for_delivery": _sms('Ordine[[ <<order_number>>]] in consegna oggi[[ con <<carrier>>]]. Segui: <<tracking_url>>'),
        "delayed": _sms("Scusa, l'ordine[[ <<order_number>>]] è in ritardo.[[ Arrivo: <<eta>>.]] Segui: <<tracking_url>>"),
        "delivery_failed": _sms("Pacco[[ <<order_number>>]] non consegnato. Rispondi 1 data 2 ritiro 3 indirizzo. <<tracking_url>>"),
        "ready_for_pickup": _sms('Ordine[[ <<order_number>>]] pronto per il ritiro. Dove: <<tracking_url>>'),
        "delivered": _sms('Ordine[[ <<order_number>>]] consegnato. Goditelo! Dettagli: <<tracking_url>>'),
        "return_label_created": _sms('Etichetta di reso[[ (<<order_number>>)]] pronta. Segui: <<tracking_url>>'),
        "return_dropped_off": _sms('Grazie, il tuo reso[[ (<<order_number>>)]] è in viaggio verso di noi. Segui: <<tracking_url>>'),
        "return_received": _sms('Abbiamo ricevuto il tuo reso[[ (<<order_number>>)]]. Dettagli: <<tracking_url>>'),
        "post_purchase": _sms("Tutto bene con l'ordine[[ <<order_number>>]]? Domande? Siamo qui: <<tracking_url>>"),
    },
}

# Risposte ai messaggi dei clienti via WhatsApp e SMS (messaging.conversations.replies): frasi
# intere; {brands} è un elenco di nomi di negozi uniti con "e".
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand}: il tuo ordine {order} si paga in contrassegno: {amount}. Rispondi SÌ per confermare o "
                    "NO se non lo vuoi.",
    "cod_reminder": "{brand}: non abbiamo ancora una tua risposta. Il tuo ordine {order} si paga in contrassegno: "
                    "{amount}. Rispondi SÌ per confermare o NO se non lo vuoi.",
    "cod_confirmed": "{brand}: grazie, hai confermato l'ordine {order}: tieni pronti {amount} alla consegna.",
    "cod_declined": "{brand}: grazie, abbiamo comunicato a {brand} che non vuoi l'ordine {order}. Ti contatteranno.",
    "rating_question": "{brand}: com'è andata la consegna del tuo ordine {order}? Rispondi con un numero da 1 "
                       "(scarsa) a 5 (ottima).",
    "rating_thanks": "{brand}: grazie per la tua valutazione ({score}/5). Se vuoi, rispondi con un breve commento.",
    "comment_thanks": "{brand}: grazie, abbiamo inoltrato il tuo commento.",
    "rating_email_subject": "{brand}: com'è andata la consegna?",
    "rating_email_intro": "Com'è andata la consegna del tuo ordine {order}? Clicca un voto da 1 (scarsa) a 5 "
                          "(ottima).",
    "rating_page_title": "Valuta la consegna",
    "rating_recorded": "Grazie: hai valutato la consegna {score}/5.",
    "rating_already": "Questa consegna è già stata valutata {score}/5. Grazie!",
    "rating_comment_label": "Vuoi aggiungere qualcosa? (facoltativo)",
    "rating_comment_send": "Invia commento",
    "rating_comment_done": "Grazie, abbiamo inoltrato il tuo commento.",
}


REPLIES = {
    "and": "e",
    "stop": "Non riceverai più aggiornamenti sulle spedizioni da {brands}. Rispondi START per riceverli di nuovo.",
    "start": "Riceverai di nuovo gli aggiornamenti sulle spedizioni da {brands}. Rispondi STOP per interromperli.",
    "track_found": "{brand}: lo stato del tuo ordine {order} è: {status}. Segui il tuo pacco qui: {url}",
    "track_not_found": "{brand}: non abbiamo trovato l'ordine {order} per questo numero. Controlla il numero nella "
                       "conferma d'ordine.",
    "track_none": "{brand}: non abbiamo trovato nessun pacco per questo numero.",
    "menu": "{brand}: rispondi SEGUI per sapere dov'è il tuo pacco, SEGUI con un numero d'ordine per un altro "
            "ordine, o STOP per non ricevere più messaggi.",
    "not_understood": "{brand}: ci dispiace, non abbiamo capito il tuo messaggio.",
    # Il dialogo guidato dopo una consegna non riuscita (messaging.conversations.exchanges).
    "ex_reschedule_ask": "{brand}: quale giorno lavorativo ti va bene per un nuovo tentativo di consegna?",
    "ex_list_button": "Scegli un giorno",
    "ex_reply_number": "Rispondi con il numero del giorno.",
    "ex_not_a_choice": "{brand}: scegli uno dei giorni proposti, per favore.",
    "ex_reschedule_done": "{brand}: grazie, abbiamo ricevuto la tua richiesta di consegna il {date}. La gestiamo con "
                          "il corriere e ti faremo sapere; fino ad allora la consegna resta come prevista.",
    "ex_pickup_ask": "{brand}: in quale punto di ritiro vuoi ritirare il tuo pacco? Scrivi il nome e l'indirizzo.",
    "ex_pickup_done": "{brand}: grazie, abbiamo ricevuto la tua richiesta di ritirare il pacco presso: {text}. La "
                      "gestiamo con il corriere e ti faremo sapere; fino ad allora la consegna resta come prevista.",
    "ex_address_ask": "{brand}: scrivi il nuovo indirizzo di consegna completo (via e numero civico, CAP, città).",
    "ex_address_confirm": "{brand}: questo indirizzo è corretto? {address} Rispondi SÌ per confermare o NO per "
                          "riscriverlo.",
    "ex_address_done": "{brand}: grazie, abbiamo ricevuto il tuo nuovo indirizzo: {address}. Lo gestiamo con il "
                       "corriere e ti faremo sapere; fino ad allora la consegna resta come prevista.",
    "ex_cancelled": "{brand}: d'accordo, non abbiamo trasmesso nulla. La tua consegna resta come prevista.",
    "weekdays": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
}
