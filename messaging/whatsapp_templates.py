"""WhatsApp platform templates: one Meta "utility" template per status, approved per language.

`PlatformTemplate` is our copy of a template; what Meta says of each registration (status,
category, quality) is the `WhatsAppTemplate` model (messaging.models.whatsapp_templates), written
by the sync (`python manage.py whatsapp_templates sync`) and the template webhooks.

Merchants cannot edit these: Meta only delivers pre-approved template messages outside the 24-hour
session window. Our tags fill the positional parameters {{1}}, {{2}}, ... in the order given by
`parameters`. Bodies follow Meta's rules: parameters numbered from 1 without gaps and, in every
language, appearing in that order; a body never starts or ends with a parameter. The footer (no
parameters allowed there) tells the shopper to reply STOP, the keyword the inbound handler knows.

Every template also has a URL button to our unsubscribe page, like every other message's link
(DESIGN: every message carries an unsubscribe link). Meta approves a button URL with one
dynamic part, at its end: the templates are registered with `unsubscribe_button_url()`
(`<PUBLIC_BASE_URL>/unsubscribe/{{1}}`) and each send fills in the rest of the recipient's
own link (`unsubscribe_button_parameter`).

Meta refuses a send with an empty parameter, and the approved text cannot leave a sentence out
the way an optional part of an e-mail does. So an empty value is never sent as such: a missing
order number is replaced by the tracking number (both name the parcel, and the tracking page
the message links to shows it); a missing name, carrier, delivery date or pickup point by a
localised phrase written to read right where that parameter stands in every body of its
language ("Hi there," / "Expected delivery: to be confirmed."). The bodies, and so the
template names, stay as approved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

from core.reverse import route_head
from messaging.default_copy import resolve_language
from tracking.statuses import DEFAULT_LANGUAGE, Status

EMPTY_PARAMETER = "-"  # last resort for a tag with no stand-in: Meta rejects an empty parameter

# Empty tag -> the tag whose value stands in for it.
STAND_INS: dict[str, str] = {"order_number": "tracking_number"}

# Empty tag -> language -> the phrase sent instead. Each reads right in the place the tag holds in
# that language's bodies (after "Hi", after a preposition, after a colon).
FILLERS: dict[str, dict[str, str]] = {
    "customer_name": {
        "en": "there", "fr": "à vous", "de": "und guten Tag", "nl": "daar", "es": "qué tal", "it": "a te",
    },
    "carrier": {
        "en": "our delivery partner", "fr": "notre transporteur", "de": "unserem Versandpartner",
        "nl": "onze vervoerder", "es": "nuestro transportista", "it": "un nostro corriere",
    },
    "eta": {
        "en": "to be confirmed", "fr": "à confirmer", "de": "wird noch bekannt gegeben", "nl": "volgt nog",
        "es": "por confirmar", "it": "da confermare",
    },
    "pickup_point": {
        "en": "your pickup point", "fr": "voir les détails ci-après", "de": "siehe Details unten",
        "nl": "je afhaalpunt", "es": "tu punto de recogida", "it": "il tuo punto di ritiro",
    },
}

META_LANGUAGE_CODES: dict[str, str] = {"en": "en", "fr": "fr", "de": "de", "nl": "nl", "es": "es", "it": "it"}

FOOTERS: dict[str, str] = {
    "en": "Reply STOP to unsubscribe",
    "fr": "Répondez STOP pour vous désabonner",
    "de": "Antworten Sie mit STOP, um sich abzumelden",
    "nl": "Antwoord STOP om je af te melden",
    "es": "Responde STOP para darte de baja",
    "it": "Rispondi STOP per annullare l'iscrizione",
}

# The URL button's text (Meta: at most 25 characters).
UNSUBSCRIBE_BUTTONS: dict[str, str] = {
    "en": "Unsubscribe",
    "fr": "Se désabonner",
    "de": "Abmelden",
    "nl": "Afmelden",
    "es": "Darse de baja",
    "it": "Annulla iscrizione",
}

VERSION = "v3"  # of every platform template's name: `pc_<status>_v3`

_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
# Meta refuses parameters with new lines, tabs or more than four consecutive spaces.
_PARAMETER_BREAKS = re.compile(r"[\r\n\t]+")
_LONG_SPACES = re.compile(r" {5,}")


@dataclass(frozen=True)
class PlatformTemplate:
    name: str
    status: str
    parameters: tuple[str, ...]  # tag names filling {{1}}, {{2}}, ...
    bodies: dict[str, str]  # language -> approved body text, for previews
    category: str = "utility"
    # language -> tag -> filler, where this body needs another form than FILLERS' (German case).
    fillers: dict[str, dict[str, str]] = field(default_factory=dict)

    def filler(self, tag: str, language: str) -> str:
        own = self.fillers.get(language, {}).get(tag)
        return own or FILLERS.get(tag, {}).get(language, "")


def meta_language_code(language: str | None) -> str:
    """The language code the template was approved under at Meta."""
    return META_LANGUAGE_CODES[resolve_language(language)]


def whatsapp_template(status: str) -> PlatformTemplate:
    return _BY_STATUS[Status(status).value]


def whatsapp_parameters(template: PlatformTemplate, values: Mapping[str, str],
                        language: str | None = None) -> list[str]:
    """Parameter texts in template order, each made acceptable to Meta; an empty value gets its
    stand-in or the filler of `language` (the language the message is sent in)."""
    resolved = resolve_language(language)
    parameters = []
    for tag in template.parameters:
        text = _parameter_text(values.get(tag))
        if not text and tag in STAND_INS:
            text = _parameter_text(values.get(STAND_INS[tag]))
        parameters.append(text or template.filler(tag, resolved) or EMPTY_PARAMETER)
    return parameters


def _parameter_text(value: str | None) -> str:
    text = _PARAMETER_BREAKS.sub(" ", value or "")
    return _LONG_SPACES.sub(" ", text).strip()


def unsubscribe_button_url() -> str:
    """The URL of the templates' unsubscribe button as registered at Meta: fixed, then {{1}}."""
    return settings.PUBLIC_BASE_URL + route_head("unsubscribe") + "{{1}}"


def unsubscribe_button_parameter(unsubscribe_url: str) -> str:
    """What a send puts in the button's {{1}}: the end of the recipient's unsubscribe link."""
    fixed = unsubscribe_button_url().removesuffix("{{1}}")
    if not unsubscribe_url.startswith(fixed):
        raise ValueError(f"{unsubscribe_url!r} is not an unsubscribe link under {fixed!r}")
    return unsubscribe_url[len(fixed):]


def whatsapp_preview(template: PlatformTemplate, language: str | None, values: Mapping[str, str],
                     parameters: list[str] | None = None) -> str:
    """The message roughly as the shopper will see it: body, blank line, footer, and the
    unsubscribe button with the link it opens (`values["unsubscribe_url"]`). `parameters`:
    `whatsapp_parameters(template, values, language)` when the caller has them already."""
    resolved = resolve_language(language)
    body = template.bodies.get(resolved) or template.bodies[DEFAULT_LANGUAGE]
    if parameters is None:
        parameters = whatsapp_parameters(template, values, resolved)

    def fill(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return parameters[index] if 0 <= index < len(parameters) else match.group()

    # One pass over the approved body: a value containing "{{2}}" stays literal.
    return (_PLACEHOLDER.sub(fill, body) + "\n\n" + FOOTERS.get(resolved, FOOTERS[DEFAULT_LANGUAGE]) + "\n"
            + button_line(resolved, values.get("unsubscribe_url") or ""))


def button_line(language: str, link: str) -> str:
    """The unsubscribe button as previews show it: "[Unsubscribe] <link>"."""
    text = UNSUBSCRIBE_BUTTONS.get(language) or UNSUBSCRIBE_BUTTONS[DEFAULT_LANGUAGE]
    return f"[{text}] {link}".rstrip()


_BUTTON_LINE = re.compile(r"\n\[([^\]\n]+)\](?: (\S+))?$")


def split_button(preview: str) -> tuple[str, str, str]:
    """(text, button text, link) of a preview that ends with its button line, so that the panel
    can draw the button under the bubble as WhatsApp does; (preview, "", "") otherwise."""
    match = _BUTTON_LINE.search(preview)
    if not match or match.group(1) not in UNSUBSCRIBE_BUTTONS.values():
        return preview, "", ""
    return preview[: match.start()], match.group(1), match.group(2) or ""


# The image-header variant of `delivered` (same body, an IMAGE header): registered by the template
# sync next to the plain one, used when the carrier gave a delivery photo.
DELIVERED_PHOTO_TEMPLATE = "pc_delivered_photo_v1"


# Short times to live (minutes) of the variants sent by brands with channel fallback on: Meta stops
# trying before the brand's fallback goes (`after_minutes`), so a phone that comes online later
# never shows the WhatsApp message next to its replacement. A few tiers, not one per brand: each is
# a registration of every template in every language (Meta limits templates and management calls).
FALLBACK_TTL_MINUTES = (1, 5, 30, 120)


def fallback_ttl_minutes(after_minutes: int) -> int:
    """The variant a brand that falls back after `after_minutes` sends with: the longest tier
    that ends before its fallback goes (1 to 1,440 minutes: the shortest tier is one minute)."""
    return max((tier for tier in FALLBACK_TTL_MINUTES if tier <= after_minutes), default=FALLBACK_TTL_MINUTES[0])


def whatsapp_template_name(status: str, has_photo: bool = False, ttl_minutes: int | None = None) -> str:
    """The Meta template name a message about `status` is sent with: the one place names are made.
    v3: v2 (v1 plus the unsubscribe button) registered by `whatsapp_templates sync` with a time to
    live per status and, for delivery_failed, quick replies (whatsapp_registration.py). A
    template whose components change gets a new name, so that no send reaches Meta with a
    component the approved version under that name lacks. `ttl_minutes`: the same template with
    that shorter time to live (`pc_<status>_v3_ttl<minutes>`, FALLBACK_TTL_MINUTES), without the
    photo header (the photo variant has Meta's longest time to live)."""
    if ttl_minutes is not None:
        return f"pc_{Status(status).value}_{VERSION}_ttl{int(ttl_minutes)}"
    if has_photo and status == Status.DELIVERED:
        return DELIVERED_PHOTO_TEMPLATE
    return f"pc_{Status(status).value}_{VERSION}"


def variants_of(name: str) -> set[str]:
    """The variants that are sent under the plain template `name` while they are not usable
    (whatsapp_gate): the short-lived ones and, for `delivered`, the photo variant. None for a
    name that is no plain platform template."""
    status = next((status for status in Status if whatsapp_template_name(status) == name), None)
    if status is None:
        return set()
    found = {whatsapp_template_name(status, ttl_minutes=minutes) for minutes in FALLBACK_TTL_MINUTES}
    return found | ({whatsapp_template_name(status, has_photo=True)} if status == Status.DELIVERED else set())


def _template(status: Status, parameters: tuple[str, ...], bodies: dict[str, str],
              fillers: dict[str, dict[str, str]] | None = None) -> PlatformTemplate:
    return PlatformTemplate(name=whatsapp_template_name(status), status=status.value, parameters=parameters,
                            bodies=bodies, fillers=fillers or {})


_ORDER = ("customer_name", "order_number", "companyname")  # every template opens with these

TEMPLATES: tuple[PlatformTemplate, ...] = (
    _template(Status.READY_TO_SHIP, (*_ORDER, "carrier", "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} is packed and will be handed to {{4}} shortly. "
              "You can follow it here: {{5}}\nWe'll keep you posted.",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} est emballée et sera bientôt remise à {{4}}. "
              "Suivez-la ici : {{5}}\nNous vous tiendrons au courant.",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} ist verpackt und wird in Kürze an {{4}} übergeben. "
              "Hier können Sie sie verfolgen: {{5}}\nWir halten Sie auf dem Laufenden.",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} is ingepakt en gaat binnenkort mee met {{4}}. "
              "Volg je pakket hier: {{5}}\nWe houden je op de hoogte.",
        "es": "¡Hola, {{1}}! Tu pedido {{2}} de {{3}} ya está preparado y en breve se lo entregaremos a {{4}}. "
              "Síguelo aquí: {{5}}\nTe mantendremos al tanto.",
        "it": "Ciao {{1}}, il tuo ordine {{2}} di {{3}} è stato imballato e a breve verrà affidato a {{4}}. "
              "Seguilo qui: {{5}}\nTi terremo al corrente.",
    }, fillers={"de": {"carrier": "unseren Versandpartner"}}),  # "an ... übergeben" takes the accusative
    _template(Status.IN_TRANSIT, (*_ORDER, "carrier", "eta", "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} is on its way with {{4}}. Expected delivery: {{5}}. "
              "Follow your parcel here: {{6}}\nWe'll let you know when it's out for delivery.",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} est en route avec {{4}}. Livraison prévue : {{5}}. "
              "Suivez votre colis ici : {{6}}\nNous vous préviendrons dès qu'il sera en cours de livraison.",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} ist mit {{4}} unterwegs. Voraussichtliche Zustellung: "
              "{{5}}. Sendungsverfolgung: {{6}}\nWir melden uns, sobald sie in der Zustellung ist.",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} is onderweg met {{4}}. Verwachte bezorging: {{5}}. "
              "Volg je pakket hier: {{6}}\nWe sturen je een bericht zodra het wordt bezorgd.",
        "es": "¡Hola, {{1}}! Tu pedido {{2}} de {{3}} va de camino con {{4}}. Entrega prevista: {{5}}. "
              "Sigue tu paquete aquí: {{6}}\nTe avisaremos cuando salga a reparto.",
        "it": "Ciao {{1}}, il tuo ordine {{2}} di {{3}} è in viaggio con {{4}}. Consegna prevista: {{5}}. "
              "Segui il pacco qui: {{6}}\nTi avviseremo quando sarà in consegna.",
    }),
    _template(Status.OUT_FOR_DELIVERY, (*_ORDER, "carrier", "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} is out for delivery with {{4}} and should arrive today. "
              "Live updates: {{5}}\nKeep an eye out for the driver!",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} est en cours de livraison avec {{4}} et devrait "
              "arriver aujourd'hui. Suivi en temps réel : {{5}}\nÀ très bientôt !",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} ist bei {{4}} in der Zustellung und kommt "
              "voraussichtlich heute an. Aktueller Stand: {{5}}\nBis bald!",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} wordt vandaag bezorgd door {{4}}. "
              "Volg de bezorging live: {{5}}\nTot zo!",
        "es": "¡Hola, {{1}}! Tu pedido {{2}} de {{3}} está en reparto con {{4}} y debería llegarte hoy. "
              "Síguelo en tiempo real: {{5}}\n¡Hasta pronto!",
        "it": "Ciao {{1}}, il tuo ordine {{2}} di {{3}} è in consegna con {{4}} e dovrebbe arrivare oggi. "
              "Seguilo in tempo reale: {{5}}\nA presto!",
    }),
    _template(Status.DELAYED, (*_ORDER, "eta", "tracking_url"), {
        "en": "Hi {{1}}, we're sorry: your order {{2}} from {{3}} is delayed. New expected delivery: {{4}}. "
              "Follow the latest updates here: {{5}}\nThank you for your patience.",
        "fr": "Bonjour {{1}}, nous sommes désolés : votre commande {{2}} chez {{3}} a du retard. Nouvelle date "
              "de livraison prévue : {{4}}. Toutes les mises à jour ici : {{5}}\nMerci de votre patience.",
        "de": "Hallo {{1}}, das tut uns leid: Ihre Bestellung {{2}} bei {{3}} verspätet sich. Neue "
              "voraussichtliche Zustellung: {{4}}. Alle Neuigkeiten: {{5}}\nVielen Dank für Ihre Geduld.",
        "nl": "Hallo {{1}}, sorry: je bestelling {{2}} bij {{3}} heeft vertraging. Nieuwe verwachte bezorging: "
              "{{4}}. Alle updates: {{5}}\nBedankt voor je geduld.",
        "es": "Hola, {{1}}. Lo sentimos: tu pedido {{2}} de {{3}} lleva retraso. Nueva entrega prevista: {{4}}. "
              "Todas las novedades aquí: {{5}}\nGracias por tu paciencia.",
        "it": "Ciao {{1}}, ci dispiace: il tuo ordine {{2}} di {{3}} è in ritardo. Nuova consegna prevista: "
              "{{4}}. Tutti gli aggiornamenti qui: {{5}}\nGrazie per la pazienza.",
    }),
    _template(Status.DELIVERY_FAILED, (*_ORDER, "carrier", "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} could not be delivered by {{4}}. See what happens next "
              "and your options here: {{5}}\nWe're sorry for the inconvenience.",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} n'a pas pu être livrée par {{4}}. Découvrez la "
              "suite et vos options ici : {{5}}\nNous sommes désolés pour ce contretemps.",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} konnte von {{4}} leider nicht zugestellt werden. "
              "Hier sehen Sie, wie es weitergeht: {{5}}\nEntschuldigen Sie die Unannehmlichkeiten.",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} kon niet worden bezorgd door {{4}}. Bekijk hier wat "
              "er nu gebeurt en wat je kunt doen: {{5}}\nSorry voor het ongemak.",
        "es": "Hola, {{1}}. Tu pedido {{2}} de {{3}} no ha podido ser entregado por {{4}}. Consulta los "
              "próximos pasos y tus opciones aquí: {{5}}\nSentimos las molestias.",
        "it": "Ciao {{1}}, per il tuo ordine {{2}} di {{3}} la consegna da parte di {{4}} non è andata a buon "
              "fine. Scopri i prossimi passi e le opzioni: {{5}}\nCi scusiamo per il disagio.",
    }),
    _template(Status.READY_FOR_PICKUP, (*_ORDER, "pickup_point", "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} is ready for pickup at {{4}}. Pickup details: {{5}}\n"
              "Please collect it soon: parcels are only kept for a limited time.",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} vous attend au point de retrait : {{4}}. "
              "Détails du retrait : {{5}}\nPensez à la retirer rapidement, elle n'est conservée que quelques jours.",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} liegt zur Abholung bereit: {{4}}. Details zur "
              "Abholung: {{5}}\nBitte holen Sie sie bald ab, Pakete werden nur begrenzte Zeit aufbewahrt.",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} ligt klaar om op te halen bij {{4}}. Alle details: "
              "{{5}}\nHaal het pakket snel op, het blijft maar een beperkte tijd liggen.",
        "es": "¡Hola, {{1}}! Tu pedido {{2}} de {{3}} ya se puede recoger en {{4}}. Detalles de la recogida: "
              "{{5}}\nNo tardes: el paquete solo se guarda unos días.",
        "it": "Ciao {{1}}, il tuo ordine {{2}} di {{3}} è pronto per il ritiro presso {{4}}. Dettagli del "
              "ritiro: {{5}}\nRitiralo presto: il pacco resta in giacenza solo per pochi giorni.",
    }),
    _template(Status.DELIVERED, (*_ORDER, "tracking_url"), {
        "en": "Hi {{1}}, your order {{2}} from {{3}} has been delivered. Delivery details: {{4}}\n"
              "We hope you love it!",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} a été livrée. Détails de la livraison : {{4}}\n"
              "Nous espérons qu'elle vous plaira !",
        "de": "Hallo {{1}}, Ihre Bestellung {{2}} bei {{3}} wurde zugestellt. Details zur Zustellung: {{4}}\n"
              "Viel Freude damit!",
        "nl": "Hallo {{1}}, je bestelling {{2}} bij {{3}} is bezorgd. Bezorgdetails: {{4}}\nVeel plezier ermee!",
        "es": "¡Hola, {{1}}! Tu pedido {{2}} de {{3}} se ha entregado. Detalles de la entrega: {{4}}\n"
              "¡Esperamos que lo disfrutes!",
        "it": "Ciao {{1}}, il tuo ordine {{2}} di {{3}} è stato consegnato. Dettagli della consegna: {{4}}\n"
              "Speriamo che ti piaccia!",
    }),
    _template(Status.RETURN_LABEL_CREATED, (*_ORDER, "carrier", "tracking_url"), {
        "en": "Hi {{1}}, your return label for order {{2}} from {{3}} is ready. Please drop the parcel off "
              "with {{4}}. Follow your return: {{5}}\nThank you!",
        "fr": "Bonjour {{1}}, votre étiquette de retour pour la commande {{2}} chez {{3}} est prête. Déposez "
              "le colis chez {{4}}. Suivez votre retour : {{5}}\nMerci !",
        "de": "Hallo {{1}}, Ihr Retourenetikett für die Bestellung {{2}} bei {{3}} ist fertig. Bitte geben Sie "
              "das Paket bei {{4}} ab. Retoure verfolgen: {{5}}\nVielen Dank!",
        "nl": "Hallo {{1}}, je retourlabel voor bestelling {{2}} bij {{3}} staat klaar. Lever het pakket in "
              "bij {{4}}. Volg je retour: {{5}}\nBedankt!",
        "es": "Hola, {{1}}. La etiqueta de devolución de tu pedido {{2}} de {{3}} ya está lista. Entrega el "
              "paquete a {{4}}. Sigue tu devolución: {{5}}\n¡Gracias!",
        "it": "Ciao {{1}}, l'etichetta di reso per il tuo ordine {{2}} di {{3}} è pronta. Consegna il pacco "
              "a {{4}}. Segui il reso: {{5}}\nGrazie!",
    }),
    _template(Status.RETURN_DROPPED_OFF, (*_ORDER, "tracking_url"), {
        "en": "Hi {{1}}, thanks for dropping off your return for order {{2}} from {{3}}. It's on its way "
              "to us: {{4}}\nWe'll let you know when it arrives.",
        "fr": "Bonjour {{1}}, merci d'avoir déposé votre retour pour la commande {{2}} chez {{3}}. Il est en "
              "route vers nous : {{4}}\nNous vous préviendrons dès sa réception.",
        "de": "Hallo {{1}}, danke für die Abgabe Ihrer Retoure zur Bestellung {{2}} bei {{3}}. Sie ist auf "
              "dem Weg zu uns: {{4}}\nWir melden uns, sobald sie angekommen ist.",
        "nl": "Hallo {{1}}, bedankt voor het inleveren van je retour voor bestelling {{2}} bij {{3}}. Het "
              "pakket is onderweg naar ons: {{4}}\nWe laten het je weten zodra het binnen is.",
        "es": "Hola, {{1}}. Gracias por entregar la devolución de tu pedido {{2}} de {{3}}. Ya viene de "
              "camino: {{4}}\nTe avisaremos en cuanto llegue.",
        "it": "Ciao {{1}}, grazie per aver consegnato il reso del tuo ordine {{2}} di {{3}}. È in viaggio "
              "verso di noi: {{4}}\nTi avviseremo non appena arriva.",
    }),
    _template(Status.RETURN_RECEIVED, (*_ORDER, "tracking_url"), {
        "en": "Hi {{1}}, your return for order {{2}} has arrived at {{3}}. We'll check it and process it "
              "shortly. Details: {{4}}\nThank you!",
        "fr": "Bonjour {{1}}, votre retour pour la commande {{2}} est bien arrivé chez {{3}}. Nous allons le "
              "vérifier et le traiter rapidement. Détails : {{4}}\nMerci !",
        "de": "Hallo {{1}}, Ihre Retoure zur Bestellung {{2}} ist bei {{3}} eingetroffen. Wir prüfen und "
              "bearbeiten sie zügig. Details: {{4}}\nVielen Dank!",
        "nl": "Hallo {{1}}, je retour voor bestelling {{2}} is aangekomen bij {{3}}. We controleren het en "
              "handelen het snel af. Details: {{4}}\nBedankt!",
        "es": "Hola, {{1}}. La devolución de tu pedido {{2}} ha llegado a {{3}}. La revisaremos y tramitaremos "
              "lo antes posible. Detalles: {{4}}\n¡Gracias!",
        "it": "Ciao {{1}}, il reso del tuo ordine {{2}} è stato ricevuto da {{3}}. Lo controlleremo e lo "
              "elaboreremo al più presto. Dettagli: {{4}}\nGrazie!",
    }),
    _template(Status.POST_PURCHASE, (*_ORDER, "tracking_url"), {
        "en": "Hi {{1}}, how are you getting on with your order {{2}} from {{3}}? If you have any questions, "
              "we're happy to help. Order details: {{4}}\nThanks for shopping with us!",
        "fr": "Bonjour {{1}}, votre commande {{2}} chez {{3}} vous plaît-elle ? Pour toute question, nous "
              "sommes là pour vous aider. Détails de la commande : {{4}}\nMerci de votre confiance !",
        "de": "Hallo {{1}}, wie gefällt Ihnen Ihre Bestellung {{2}} bei {{3}}? Bei Fragen helfen wir Ihnen "
              "gern weiter. Bestelldetails: {{4}}\nDanke für Ihren Einkauf!",
        "nl": "Hallo {{1}}, hoe bevalt je bestelling {{2}} bij {{3}}? Heb je een vraag, dan helpen we je "
              "graag. Je bestelgegevens: {{4}}\nBedankt voor je aankoop!",
        "es": "¡Hola, {{1}}! ¿Qué tal tu pedido {{2}} de {{3}}? Si tienes cualquier duda, estaremos "
              "encantados de ayudarte. Detalles del pedido: {{4}}\n¡Gracias por tu compra!",
        "it": "Ciao {{1}}, come ti trovi con il tuo ordine {{2}} di {{3}}? Per qualsiasi domanda siamo qui "
              "per aiutarti. Dettagli dell'ordine: {{4}}\nGrazie per il tuo acquisto!",
    }),
)

_BY_STATUS: dict[str, PlatformTemplate] = {template.status: template for template in TEMPLATES}
