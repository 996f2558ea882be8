"""`{{ body|bubble }}`: a WhatsApp preview as the panel draws it, the text in the bubble and the
unsubscribe button under it (`whatsapp_templates.split_button`)."""

from django import template

from messaging.whatsapp_templates import split_button

register = template.Library()


@register.filter
def bubble(body: str) -> dict[str, str]:
    text, button, link = split_button(body or "")
    return {"text": text, "button": button, "link": link}
