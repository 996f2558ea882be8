"""Platform default copy in French, addressing the shopper as "vous".

SMS bodies use only the accents of the GSM-7 alphabet (é è à ù), never ê, ç, ô or î: one of them would
switch the whole message to UCS-2 and more than double its cost.

Every tag that may be empty sits in an optional part `[[...]]` worded so that the sentence still
reads right without it: "Bonjour," rather than "Bonjour ,".
"""

_GREETING = "Bonjour[[ <<customer_name>>]],"
_FOOTER = (
    "À bientôt,\nL'équipe <<companyname>>\n\n"
    "Vous ne souhaitez plus recevoir ces e-mails ? Désinscrivez-vous ici : <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>> : ' + text + ' Stop SMS : <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Votre commande[[ <<order_number>>]] est prête à partir",
            "Bonne nouvelle : votre commande[[ <<order_number>>]] est emballée et sera bientôt expédiée"
            "[[ avec <<carrier>>]]. Votre numéro de suivi : <<tracking_number>>.",
            "Suivez votre colis ici : <<tracking_url>>\n"
            "Les premières informations apparaîtront dès que votre colis aura été scanné[[ par <<carrier>>]].",
        ),
        "in_transit": _email(
            "Votre commande[[ <<order_number>>]] est en route",
            "Votre colis est en chemin[[ avec <<carrier>>]].[[ Livraison prévue : <<eta>>.]]",
            "Suivez-le étape par étape : <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Votre colis arrive aujourd'hui",
            "Votre commande[[ <<order_number>>]] est en cours de livraison[[ avec <<carrier>>]] et devrait vous "
            "parvenir aujourd'hui.",
            "Suivi en temps réel : <<tracking_url>>",
        ),
        "delayed": _email(
            "Votre commande[[ <<order_number>>]] a du retard",
            "Nous sommes désolés : votre colis a pris du retard[[, nous informe <<carrier>>]]."
            "[[ Nouvelle date de livraison prévue : <<eta>>.]]",
            "Nous suivons la situation de près. Toutes les mises à jour sont ici : <<tracking_url>>",
            "Merci de votre patience.",
        ),
        "delivery_failed": _email(
            "Votre colis n'a pas pu être livré",
            "La livraison de votre commande[[ <<order_number>>]][[ par <<carrier>>]] n'a pas pu aboutir.",
            "Sur la page de suivi, vous verrez la suite et pourrez, si le transporteur le propose, choisir "
            "une nouvelle date de livraison ou un point de retrait : <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Votre colis vous attend",
            "Votre commande[[ <<order_number>>]] est disponible en point de retrait."
            "[[ Vous la trouverez ici :\n<<pickup_point>>]]",
            "Munissez-vous de votre numéro de suivi (<<tracking_number>>) et d'une pièce d'identité. "
            "Le colis n'est conservé que quelques jours : pensez à le retirer rapidement.",
            "Détails du retrait : <<tracking_url>>",
        ),
        "delivered": _email(
            "Votre commande[[ <<order_number>>]] a été livrée",
            "Votre colis a été livré[[ par <<carrier>>]]. Nous espérons qu'il vous plaira !",
            "Vous ne le trouvez pas ? Consultez les détails de la livraison, il a peut-être été confié "
            "à un voisin : <<tracking_url>>",
        ),
        "return_label_created": _email(
            "Votre étiquette de retour[[ pour la commande <<order_number>>]]",
            "Votre étiquette de retour est prête. Emballez les articles à renvoyer, collez l'étiquette "
            "sur le colis et déposez-le[[ chez <<carrier>>]].",
            "Numéro de suivi de votre retour : <<tracking_number>>. Suivez-le ici : <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Votre retour est en route",
            "Merci d'avoir déposé votre retour[[ pour la commande <<order_number>>]]. "
            "Il est maintenant en route vers nous[[ avec <<carrier>>]].",
            "Nous vous préviendrons dès sa réception. Suivi : <<tracking_url>>",
        ),
        "return_received": _email(
            "Nous avons bien reçu votre retour",
            "Votre retour[[ pour la commande <<order_number>>]] est bien arrivé chez <<companyname>>. "
            "Nous allons le vérifier et le traiter dans les meilleurs délais.",
            "Détails du retour : <<tracking_url>>",
        ),
        "post_purchase": _email(
            "Votre commande vous plaît-elle ?",
            "Votre commande[[ <<order_number>>]] est arrivée il y a quelques jours : nous espérons qu'elle "
            "vous donne entière satisfaction.",
            "Un souci ou une question ? Contactez-nous, nous serons ravis de vous aider.",
            "Le détail de votre commande : <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Commande[[ <<order_number>>]] expédiée sous peu[[ par <<carrier>>]]. Suivi : <<tracking_url>>'),
        "in_transit": _sms('Commande[[ <<order_number>>]] en route.[[ Livraison le <<eta>>.]] Suivi : <<tracking_url>>'),
        "out_for_delivery": _sms("Commande[[ <<order_number>>]] en livraison aujourd'hui[[ (<<carrier>>)]]. Suivi : <<tracking_url>>"),
        "delayed": _sms('Commande[[ <<order_number>>]] en retard.[[ Nouvelle date : <<eta>>.]] Suivi : <<tracking_url>>'),
        "delivery_failed": _sms("Colis[[ <<order_number>>]] non livré. Répondez 1 date, 2 relais, 3 adresse. <<tracking_url>>"),
        "ready_for_pickup": _sms('Commande[[ <<order_number>>]] disponible en point de retrait : <<tracking_url>>'),
        "delivered": _sms('Commande[[ <<order_number>>]] livrée. Bonne découverte ! Détails : <<tracking_url>>'),
        "return_label_created": _sms('Étiquette de retour[[ (commande <<order_number>>)]] disponible. Suivi : <<tracking_url>>'),
        "return_dropped_off": _sms('Merci, votre retour[[ (<<order_number>>)]] est en route vers nous. Suivi : <<tracking_url>>'),
        "return_received": _sms('Retour[[ (commande <<order_number>>)]] bien arrivé. Détails : <<tracking_url>>'),
        "post_purchase": _sms('Tout va bien avec votre commande[[ <<order_number>>]] ? Une question : <<tracking_url>>'),
    },
}

# Réponses aux messages des clients par WhatsApp et SMS (messaging.conversations.replies) : des
# phrases entières ; {brands} est une liste de noms de boutiques reliés par « et ». Sans ê, ç, ô, î.
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand} : votre commande {order} est payable à la livraison : {amount}. Répondez OUI pour "
                    "confirmer ou NON si vous n'en voulez pas.",
    "cod_reminder": "{brand} : nous n'avons pas encore de réponse. Votre commande {order} est payable à la "
                    "livraison : {amount}. Répondez OUI pour confirmer ou NON si vous n'en voulez pas.",
    "cod_confirmed": "{brand} : merci, vous avez confirmé la commande {order} : préparez {amount} pour la livraison.",
    "cod_declined": "{brand} : merci, nous avons informé {brand} que vous ne voulez pas la commande {order}. Vous "
                    "serez contacté.",
    "rating_question": "{brand} : comment s'est passée la livraison de votre commande {order} ? Répondez par un "
                       "chiffre de 1 (mauvais) à 5 (excellent).",
    "rating_thanks": "{brand} : merci pour votre note ({score}/5). Si vous le souhaitez, répondez par un court "
                     "commentaire.",
    "comment_thanks": "{brand} : merci, nous avons transmis votre commentaire.",
    "rating_email_subject": "{brand} : comment s'est passée votre livraison ?",
    "rating_email_intro": "Comment s'est passée la livraison de votre commande {order} ? Cliquez sur une note de 1 "
                          "(mauvais) à 5 (excellent).",
    "rating_page_title": "Notez votre livraison",
    "rating_recorded": "Merci : vous avez noté la livraison {score}/5.",
    "rating_already": "Cette livraison a déjà été notée {score}/5. Merci !",
    "rating_comment_label": "Un commentaire ? (facultatif)",
    "rating_comment_send": "Envoyer",
    "rating_comment_done": "Merci, nous avons transmis votre commentaire.",
}


REPLIES = {
    "and": "et",
    "stop": "Vous ne recevrez plus de suivi de colis de la part de {brands}. Répondez START pour le recevoir à "
            "nouveau.",
    "start": "Vous recevrez à nouveau le suivi de colis de la part de {brands}. Répondez STOP pour l'arrêter.",
    "track_found": "{brand} : le statut de votre commande {order} est : {status}. Suivez votre colis ici : {url}",
    "track_not_found": "{brand} : nous n'avons pas trouvé la commande {order} pour ce numéro. Vérifiez le numéro sur "
                       "votre confirmation de commande.",
    "track_none": "{brand} : nous n'avons pas trouvé de colis pour ce numéro.",
    "menu": "{brand} : répondez SUIVI pour savoir où est votre colis, SUIVI et un numéro de commande pour une autre "
            "commande, ou STOP pour ne plus recevoir de messages.",
    "not_understood": "{brand} : désolés, nous n'avons pas compris votre message.",
    # L'échange guidé après une livraison manquée (messaging.conversations.exchanges).
    "ex_reschedule_ask": "{brand} : quel jour ouvré vous convient pour une nouvelle tentative de livraison ?",
    "ex_list_button": "Choisir un jour",
    "ex_reply_number": "Répondez avec le numéro du jour.",
    "ex_not_a_choice": "{brand} : veuillez choisir l'un des jours proposés.",
    "ex_reschedule_done": "{brand} : merci, nous avons bien reçu votre demande de livraison le {date}. Nous la "
                          "voyons avec le transporteur et vous tenons informé ; d'ici là, la livraison reste prévue "
                          "comme avant.",
    "ex_pickup_ask": "{brand} : dans quel point relais souhaitez-vous retirer votre colis ? Indiquez son nom et son "
                     "adresse.",
    "ex_pickup_done": "{brand} : merci, nous avons bien reçu votre demande de retrait du colis à : {text}. Nous la "
                      "voyons avec le transporteur et vous tenons informé ; d'ici là, la livraison reste prévue "
                      "comme avant.",
    "ex_address_ask": "{brand} : veuillez écrire la nouvelle adresse de livraison complète (numéro et rue, code "
                      "postal, ville).",
    "ex_address_confirm": "{brand} : cette adresse est-elle correcte ? {address} Répondez OUI pour confirmer ou NON "
                          "pour la réécrire.",
    "ex_address_done": "{brand} : merci, nous avons bien reçu votre nouvelle adresse : {address}. Nous la voyons avec "
                       "le transporteur et vous tenons informé ; d'ici là, la livraison reste prévue comme avant.",
    "ex_cancelled": "{brand} : d'accord, nous n'avons rien transmis. Votre livraison reste prévue comme avant.",
    "weekdays": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
