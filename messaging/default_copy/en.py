"""Platform default copy in English.

E-mail bodies are plain text (blank line = new paragraph); SMS bodies stay in the GSM-7
alphabet (no curly quotes or dashes) so that they cost one or two segments.

Every tag that may be empty (messaging.tags.OPTIONAL_TAGS) sits in an optional part `[[...]]`
worded so that the sentence still reads right without it: "Hi," rather than "Hi ,".
"""

_GREETING = "Hi[[ <<customer_name>>]],"
_FOOTER = (
    "Best wishes,\nThe <<companyname>> team\n\n"
    "Don't want e-mails like this any more? Unsubscribe here: <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>>: ' + text + ' Opt out: <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Your order[[ <<order_number>>]] is ready to ship",
            "Good news: your order[[ <<order_number>>]] is packed and will be shipped[[ with <<carrier>>]] "
            "shortly. Your tracking number is <<tracking_number>>.",
            "You can follow your parcel here: <<tracking_url>>\n"
            "The first updates appear as soon as your parcel is scanned[[ by <<carrier>>]].",
        ),
        "in_transit": _email(
            "Your order[[ <<order_number>>]] is on its way",
            "Your parcel is on its way to you[[ with <<carrier>>]].[[ Expected delivery: <<eta>>.]]",
            "Follow it step by step: <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Your parcel arrives today",
            "Your order[[ <<order_number>>]] is out for delivery[[ with <<carrier>>]] and should reach you today. "
            "Keep an eye out for the driver!",
            "Live updates: <<tracking_url>>",
        ),
        "delayed": _email(
            "Your order[[ <<order_number>>]] is running late",
            "We're sorry: we've just heard[[ from <<carrier>>]] that your parcel is delayed."
            "[[ The new expected delivery is <<eta>>.]]",
            "We're keeping an eye on it, and you can follow every update here: <<tracking_url>>",
            "Thank you for your patience.",
        ),
        "delivery_failed": _email(
            "We missed you: your parcel couldn't be delivered",
            "Your order[[ <<order_number>>]] couldn't be delivered[[ by <<carrier>>]] this time.",
            "On the tracking page you can see what happens next and, where the carrier offers it, "
            "choose a new delivery day or a pickup point: <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Your parcel is ready for pickup",
            "Your order[[ <<order_number>>]] is ready for you to collect.[[ You'll find it at:\n<<pickup_point>>]]",
            "Please bring your tracking number (<<tracking_number>>) and a photo ID. Parcels are only "
            "kept for a limited time, so try to collect it soon.",
            "Pickup details: <<tracking_url>>",
        ),
        "delivered": _email(
            "Your order[[ <<order_number>>]] has been delivered",
            "Your parcel has been delivered[[ by <<carrier>>]]. We hope you love it!",
            "Can't find it? Check the delivery details, it may have been left with a neighbour "
            "or in a safe place: <<tracking_url>>",
        ),
        "return_label_created": _email(
            "Your return label[[ for order <<order_number>>]]",
            "Your return label is ready. Pack the items you're sending back, attach the label "
            "and drop the parcel off[[ with <<carrier>>]].",
            "Your return tracking number is <<tracking_number>>. Follow your return here: <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Your return is on its way to us",
            "Thanks for dropping off your return[[ for order <<order_number>>]]. "
            "It is now on its way back to us[[ with <<carrier>>]].",
            "We'll let you know as soon as it arrives. Follow it here: <<tracking_url>>",
        ),
        "return_received": _email(
            "We've received your return",
            "Your return[[ for order <<order_number>>]] has arrived at <<companyname>>. "
            "We'll check it and process it as quickly as we can.",
            "Return details: <<tracking_url>>",
        ),
        "post_purchase": _email(
            "How are you getting on with your order?",
            "Your order[[ <<order_number>>]] arrived a few days ago and we hope you're enjoying it.",
            "If anything isn't quite right, or you have a question, just get in touch: "
            "we're happy to help.",
            "Your order details: <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Order[[ <<order_number>>]] is packed and ships soon[[ with <<carrier>>]]. Track: <<tracking_url>>'),
        "in_transit": _sms('Order[[ <<order_number>>]] is on its way.[[ Due <<eta>>.]] Track: <<tracking_url>>'),
        "out_for_delivery": _sms('Order[[ <<order_number>>]] arrives today[[ with <<carrier>>]]. Track: <<tracking_url>>'),
        "delayed": _sms('Sorry, order[[ <<order_number>>]] is delayed.[[ New date: <<eta>>.]] Track: <<tracking_url>>'),
        "delivery_failed": _sms("Order[[ <<order_number>>]] not delivered. Reply 1 new date, 2 pickup, 3 address. <<tracking_url>>"),
        "ready_for_pickup": _sms('Order[[ <<order_number>>]] is ready for pickup. Where: <<tracking_url>>'),
        "delivered": _sms('Order[[ <<order_number>>]] was delivered. Enjoy! Details: <<tracking_url>>'),
        "return_label_created": _sms('Your return label[[ for <<order_number>>]] is ready. Track: <<tracking_url>>'),
        "return_dropped_off": _sms('Thanks, your return[[ for <<order_number>>]] is on its way to us. Track: <<tracking_url>>'),
        "return_received": _sms("We've received your return[[ for <<order_number>>]]. Details: <<tracking_url>>"),
        "post_purchase": _sms("Enjoying order[[ <<order_number>>]]? Questions? We're here: <<tracking_url>>"),
    },
}

# Answers to shoppers' replies on WhatsApp and SMS (messaging.conversations.replies): whole
# sentences; {brands} is a list of shop names joined with "and".
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand}: your order {order} is paid cash on delivery: {amount}. Reply YES to confirm or NO if "
                    "you do not want it.",
    "cod_reminder": "{brand}: we have not heard from you yet. Your order {order} is paid cash on delivery: {amount}. "
                    "Reply YES to confirm or NO if you do not want it.",
    "cod_confirmed": "{brand}: thank you, you confirmed order {order}: please have {amount} ready at the door.",
    "cod_declined": "{brand}: thank you, we have told {brand} that you do not want order {order}. They will be in "
                    "touch.",
    "rating_question": "{brand}: how was the delivery of your order {order}? Reply with a number from 1 (poor) to 5 "
                       "(excellent).",
    "rating_thanks": "{brand}: thank you for your rating ({score}/5). If you like, reply with a short comment.",
    "comment_thanks": "{brand}: thank you, we have passed your comment on.",
    "rating_email_subject": "{brand}: how was your delivery?",
    "rating_email_intro": "How was the delivery of your order {order}? Click a score from 1 (poor) to 5 (excellent).",
    "rating_page_title": "Rate your delivery",
    "rating_recorded": "Thank you: you rated the delivery {score}/5.",
    "rating_already": "This delivery has already been rated {score}/5. Thank you!",
    "rating_comment_label": "Anything to add? (optional)",
    "rating_comment_send": "Send comment",
    "rating_comment_done": "Thank you, we have passed your comment on.",
}


REPLIES = {
    "and": "and",
    "stop": "You will no longer receive parcel updates from {brands}. Reply START to receive them again.",
    "start": "You will receive parcel updates from {brands} again. Reply STOP to stop them.",
    "track_found": "{brand}: the status of your order {order} is: {status}. Follow your parcel here: {url}",
    "track_not_found": "{brand}: we could not find order {order} for this number. Please check the number on your "
                       "order confirmation.",
    "track_none": "{brand}: we could not find a parcel for this number.",
    "menu": "{brand}: reply TRACK to see where your parcel is, TRACK with an order number for another order, or "
            "STOP to receive no more messages.",
    "not_understood": "{brand}: sorry, we did not understand your message.",
    # The guided exchange after a failed delivery (messaging.conversations.exchanges). The shop
    # has the request; nothing here says the carrier changed anything.
    "ex_reschedule_ask": "{brand}: which working day suits you for a new delivery attempt?",
    "ex_list_button": "Choose a day",
    "ex_reply_number": "Reply with the number of the day.",
    "ex_not_a_choice": "{brand}: please choose one of the days offered.",
    "ex_reschedule_done": "{brand}: thank you, we have received your request for a delivery on {date}. We will "
                          "arrange it with the carrier and let you know; until then the delivery stays as planned.",
    "ex_pickup_ask": "{brand}: at which pickup point would you like to collect your parcel? Please write its name "
                     "and address.",
    "ex_pickup_done": "{brand}: thank you, we have received your request to collect the parcel at: {text}. We will "
                      "arrange it with the carrier and let you know; until then the delivery stays as planned.",
    "ex_address_ask": "{brand}: please write the new delivery address in full (street and number, postcode, town).",
    "ex_address_confirm": "{brand}: is this the right address? {address} Reply YES to confirm or NO to write it "
                          "again.",
    "ex_address_done": "{brand}: thank you, we have received your new address: {address}. We will arrange it with "
                       "the carrier and let you know; until then the delivery stays as planned.",
    "ex_cancelled": "{brand}: all right, we have not passed anything on. Your delivery stays as planned.",
    "weekdays": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
