"""Platform default copy in Spanish (Spain), addressing the shopper as "tú" as Spanish web shops do.

á, í, ó and ú are not in the GSM-7 alphabet (é, ñ, ü, ¿ and ¡ are), so the SMS bodies are worded
to do without them ("devolver" rather than "devolución", "va de camino" rather than "está en
camino") instead of dropping accents, which reads as careless.

Every tag that may be empty sits in an optional part `[[...]]` worded so that the sentence still
reads right without it: "Hola:" rather than "Hola, :".
"""

_GREETING = "Hola[[, <<customer_name>>]]:"
_FOOTER = (
    "Un saludo,\nEl equipo de <<companyname>>\n\n"
    "¿No quieres recibir más correos como este? Date de baja aquí: <<unsubscribe_url>>"
)


def _email(subject: str, *paragraphs: str) -> tuple[str, str]:
    return subject, "\n\n".join((_GREETING, *paragraphs, _FOOTER))


def _sms(text: str) -> str:
    return '<<companyname>>: ' + text + ' Baja: <<unsubscribe_url>>'


COPY = {
    "email": {
        "ready_to_ship": _email(
            "Tu pedido[[ <<order_number>>]] está listo para salir",
            "¡Buenas noticias! Hemos preparado tu pedido[[ <<order_number>>]] y saldrá en breve"
            "[[ con <<carrier>>]]. Tu número de seguimiento es <<tracking_number>>.",
            "Sigue tu paquete aquí: <<tracking_url>>\n"
            "La información aparecerá en cuanto el paquete se escanee por primera vez.",
        ),
        "in_transit": _email(
            "Tu pedido[[ <<order_number>>]] va de camino",
            "Tu paquete ya va de camino[[ con <<carrier>>]].[[ Entrega prevista: <<eta>>.]]",
            "Síguelo paso a paso: <<tracking_url>>",
        ),
        "out_for_delivery": _email(
            "Tu pedido llega hoy",
            "Tu pedido[[ <<order_number>>]] está en reparto[[ con <<carrier>>]] y debería llegarte hoy.",
            "Sigue la entrega en tiempo real: <<tracking_url>>",
        ),
        "delayed": _email(
            "Tu pedido[[ <<order_number>>]] lleva retraso",
            "Lo sentimos: tu paquete lleva retraso[[, según nos informa <<carrier>>]]."
            "[[ Nueva fecha de entrega prevista: <<eta>>.]]",
            "Estamos pendientes de él. Aquí tienes todas las novedades: <<tracking_url>>",
            "Gracias por tu paciencia.",
        ),
        "delivery_failed": _email(
            "Tu paquete no se ha podido entregar",
            "El intento de entrega de tu pedido[[ <<order_number>>]][[ por parte de <<carrier>>]] no ha tenido "
            "éxito.",
            "En la página de seguimiento verás los próximos pasos y, si el transportista lo permite, podrás elegir "
            "otro día de entrega o un punto de recogida: <<tracking_url>>",
        ),
        "ready_for_pickup": _email(
            "Tu paquete ya se puede recoger",
            "Tu pedido[[ <<order_number>>]] ya se puede recoger.[[ Te espera en:\n<<pickup_point>>]]",
            "Lleva tu número de seguimiento (<<tracking_number>>) y un documento de identidad. El paquete solo "
            "se guarda unos días, así que no tardes en recogerlo.",
            "Detalles de la recogida: <<tracking_url>>",
        ),
        "delivered": _email(
            "Tu pedido[[ <<order_number>>]] se ha entregado",
            "Tu paquete ha sido entregado[[ por <<carrier>>]]. ¡Esperamos que lo disfrutes!",
            "¿No lo encuentras? Consulta los detalles de la entrega; quizá lo haya recogido un vecino: "
            "<<tracking_url>>",
        ),
        "return_label_created": _email(
            "Tu etiqueta de devolución[[ del pedido <<order_number>>]]",
            "Tu etiqueta de devolución ya está lista. Empaqueta los artículos, pega la etiqueta en el paquete "
            "y entrégalo[[ a <<carrier>>]].",
            "El número de seguimiento de tu devolución es <<tracking_number>>. Síguela aquí: <<tracking_url>>",
        ),
        "return_dropped_off": _email(
            "Tu devolución va de camino",
            "Gracias por entregar la devolución[[ del pedido <<order_number>>]]. Ya viene de camino hacia "
            "nosotros[[ con <<carrier>>]].",
            "Te avisaremos en cuanto llegue. Síguela aquí: <<tracking_url>>",
        ),
        "return_received": _email(
            "Hemos recibido tu devolución",
            "Tu devolución[[ del pedido <<order_number>>]] ha llegado a <<companyname>>. "
            "La revisaremos y la tramitaremos lo antes posible.",
            "Detalles de la devolución: <<tracking_url>>",
        ),
        "post_purchase": _email(
            "¿Qué tal tu pedido?",
            "Tu pedido[[ <<order_number>>]] llegó hace unos días y esperamos que te esté gustando.",
            "Si algo no va bien o tienes alguna pregunta, escríbenos: estaremos encantados de ayudarte.",
            "Detalles de tu pedido: <<tracking_url>>",
        ),
    },
    "sms": {
        "ready_to_ship": _sms('Pedido[[ <<order_number>>]] preparado, sale pronto[[ con <<carrier>>]]. Sigue: <<tracking_url>>'),
        "in_transit": _sms('Tu pedido[[ <<order_number>>]] va en camino.[[ Llega el <<eta>>.]] Sigue: <<tracking_url>>'),
        "out_for_delivery": _sms('¡Tu pedido[[ <<order_number>>]] llega hoy![[ Lo reparte <<carrier>>.]] Sigue: <<tracking_url>>'),
        "delayed": _sms('Perdón, tu pedido[[ <<order_number>>]] se retrasa.[[ Llega el <<eta>>.]] Sigue: <<tracking_url>>'),
        "delivery_failed": _sms("Pedido[[ <<order_number>>]] no entregado. Responde 1 fecha, 2 recogida, 3 domicilio. <<tracking_url>>"),
        "ready_for_pickup": _sms('Tu pedido[[ <<order_number>>]] está listo para recoger. Dónde: <<tracking_url>>'),
        "delivered": _sms('Tu pedido[[ <<order_number>>]] ha sido entregado. ¡Que lo disfrutes! Detalles: <<tracking_url>>'),
        "return_label_created": _sms('Tu etiqueta de devolución[[ (<<order_number>>)]] está lista. Sigue: <<tracking_url>>'),
        "return_dropped_off": _sms('Gracias, tu devolución[[ (<<order_number>>)]] viene de camino. Sigue: <<tracking_url>>'),
        "return_received": _sms('Hemos recibido tu devolución[[ (<<order_number>>)]]. Detalles: <<tracking_url>>'),
        "post_purchase": _sms('¿Todo bien con tu pedido[[ <<order_number>>]]? ¿Dudas? Aquí estamos: <<tracking_url>>'),
    },
}

# Respuestas a los mensajes de los clientes por WhatsApp y SMS (messaging.conversations.replies):
# frases enteras; {brands} es una lista de nombres de tiendas unidos con "y". Redactadas sin á, í,
# ó ni ú, como los SMS de arriba.
# Questions the bot asks and waits on (messaging.conversations: cash on delivery, delivery rating).
ASKS = {
    "cod_question": "{brand}: tu pedido {order} se paga contra reembolso: {amount}. Responde SÍ para confirmar o NO "
                    "si no lo quieres.",
    "cod_reminder": "{brand}: aún no tenemos tu respuesta. Tu pedido {order} se paga contra reembolso: {amount}. "
                    "Responde SÍ para confirmar o NO si no lo quieres.",
    "cod_confirmed": "{brand}: gracias, has confirmado el pedido {order}: ten {amount} preparados en la entrega.",
    "cod_declined": "{brand}: gracias, hemos comunicado a {brand} que no quieres el pedido {order}. Se pondrán en "
                    "contacto contigo.",
    "rating_question": "{brand}: ¿qué tal fue la entrega de tu pedido {order}? Responde con un número del 1 (mala) al "
                       "5 (excelente).",
    "rating_thanks": "{brand}: gracias por tu valoración ({score}/5). Si quieres, responde con un breve comentario.",
    "comment_thanks": "{brand}: gracias, hemos transmitido tu comentario.",
    "rating_email_subject": "{brand}: ¿qué tal fue tu entrega?",
    "rating_email_intro": "¿Qué tal fue la entrega de tu pedido {order}? Haz clic en una nota del 1 (mala) al 5 "
                          "(excelente).",
    "rating_page_title": "Valora tu entrega",
    "rating_recorded": "Gracias: has valorado la entrega con {score}/5.",
    "rating_already": "Esta entrega ya se valoró con {score}/5. ¡Gracias!",
    "rating_comment_label": "¿Algo que añadir? (opcional)",
    "rating_comment_send": "Enviar comentario",
    "rating_comment_done": "Gracias, hemos transmitido tu comentario.",
}


REPLIES = {
    "and": "y",
    "stop": "Ya no vas a recibir avisos de tus pedidos de {brands}. Responde ALTA para volver a recibirlos.",
    "start": "Vas a volver a recibir avisos de tus pedidos de {brands}. Responde BAJA para dejar de recibirlos.",
    "track_found": "{brand}: el estado de tu pedido {order} es: {status}. Sigue tu paquete en este enlace: {url}",
    "track_not_found": "{brand}: no encontramos el pedido {order} para este teléfono. Revisa la referencia en el "
                       "e-mail de tu pedido.",
    "track_none": "{brand}: no encontramos paquetes para este teléfono.",
    "menu": "{brand}: responde SEGUIMIENTO para seguir tu paquete, SEGUIMIENTO con la referencia de un pedido para "
            "otro pedido, o BAJA para dejar de recibir mensajes.",
    "not_understood": "{brand}: lo sentimos, no hemos entendido tu mensaje.",
    # El diálogo guiado tras una entrega fallida (messaging.conversations.exchanges).
    "ex_reschedule_ask": "{brand}: ¿qué día laborable te viene bien para un nuevo intento de entrega?",
    "ex_list_button": "Elegir un día",
    "ex_reply_number": "Responde con el número del día.",
    "ex_not_a_choice": "{brand}: elige uno de los días propuestos, por favor.",
    "ex_reschedule_done": "{brand}: gracias, hemos recibido tu solicitud de entrega el {date}. Lo gestionaremos con "
                          "la empresa de transporte y te avisaremos; mientras tanto, la entrega sigue como estaba "
                          "prevista.",
    "ex_pickup_ask": "{brand}: ¿en qué punto de recogida quieres recoger tu paquete? Escribe su nombre y su "
                     "dirección.",
    "ex_pickup_done": "{brand}: gracias, hemos recibido tu solicitud de recoger el paquete en: {text}. Lo "
                      "gestionaremos con la empresa de transporte y te avisaremos; mientras tanto, la entrega sigue "
                      "como estaba prevista.",
    "ex_address_ask": "{brand}: escribe la nueva dirección de entrega completa (calle y número, código postal, "
                      "ciudad).",
    "ex_address_confirm": "{brand}: ¿es correcta esta dirección? {address} Responde SÍ para confirmar o NO para "
                          "escribirla de nuevo.",
    "ex_address_done": "{brand}: gracias, hemos recibido tu nueva dirección: {address}. Lo gestionaremos con la "
                       "empresa de transporte y te avisaremos; mientras tanto, la entrega sigue como estaba "
                       "prevista.",
    "ex_cancelled": "{brand}: de acuerdo, no hemos transmitido nada. Tu entrega sigue como estaba prevista.",
    "weekdays": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
