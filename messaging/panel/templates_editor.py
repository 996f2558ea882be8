"""The template editor: per channel, status and language. A tag palette, a live preview while the
merchant types (htmx, messaging.previews), the SMS segment counter, unknown tags named before
saving, help on optional `[[...]]` parts, reset to the platform default. WhatsApp shows the fixed
platform template, read-only."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from brands import selectors as brand_selectors
from brands.models import Language
from brands.panel.base import PanelMixin, rule_errors
from core.errors import RuleViolation
from messaging.channels import channel_of
from messaging.dispatch.composing import email_html
from messaging.models import Channel
from messaging.panel.messages import WRAP_LINKS_STYLE
from messaging.previews import Preview, template_preview
from messaging.rendering import SAMPLE_RECIPIENT_EMAIL, unsubscribe_url
from messaging.services.template_test_send import template_test_send
from messaging.services.templates import template_override_delete, template_override_save
from messaging.tags import KNOWN_TAGS, OPTIONAL_TAGS
from messaging.template_selectors import template_list
from tracking.statuses import ALL_CODES, Status

PAGE = "panel/templates/editor.html"
PREVIEW = "panel/templates/_preview.html"
SEND_TEST = "panel/templates/_send_test.html"

TAG_HELP = {
    "companyname": _("Your brand name"),
    "carrier": _("Carrier, e.g. DHL"),
    "whatsappnumber": _("Your WhatsApp business number"),
    "customer_name": _("Shopper's name"),
    "order_number": _("Order number"),
    "tracking_number": _("Tracking number"),
    "tracking_url": _("Link to the tracking page"),
    "status": _("Status, in the shopper's language"),
    "eta": _("Expected delivery date"),
    "pickup_point": _("Pickup point address"),
    "unsubscribe_url": _("Unsubscribe link (required)"),
}
assert set(TAG_HELP) == set(KNOWN_TAGS)
# The editor's help on optional parts (messaging.tags): examples that read right either way.
OPTIONAL_PART_EXAMPLES = (
    ("Hi[[ <<customer_name>>]],", "Hi Alex,", "Hi,"),
    ("Your parcel is on its way.[[ Expected delivery: <<eta>>.]]",
     "Your parcel is on its way. Expected delivery: 12 May.", "Your parcel is on its way."),
)


def email_document(brand, language: str, preview: Preview | None) -> str:
    """The e-mail as the shopper's mailbox shows it: the preview's body in the branded layout."""
    if preview is None or preview.html is None:
        return ""
    document = email_html(brand=brand, subject=preview.subject, content=preview.html, language=language,
                          unsubscribe_url=unsubscribe_url(brand.pk, SAMPLE_RECIPIENT_EMAIL),
                          tracking_url=preview.tracking_url)
    return document + WRAP_LINKS_STYLE


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200, strip=False)
    body = forms.CharField(label=_("Message"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}))


class TemplatesHome(PanelMixin, View):
    """/app/templates/: the chosen (or first) brand's editor, keeping channel, status and language."""

    def get(self, request):
        brands = list(brand_selectors.brand_list(account=self.account))
        if not brands:
            return render(request, PAGE, {"no_brands": True})
        brand = next((b for b in brands if str(b.pk) == request.GET.get("brand")), brands[0])
        channel = request.GET.get("channel") if request.GET.get("channel") in Channel.values else Channel.values[0]
        url = reverse("panel:template-editor", args=[brand.pk, channel])
        query = {k: request.GET[k] for k in ("status", "language") if request.GET.get(k)}
        return redirect(url + ("?" + urlencode(query) if query else ""))


class EditorMixin(PanelMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["channel"] not in Channel.values:
            raise Http404("No such channel.")
        return super().dispatch(request, *args, **kwargs)

    def key(self) -> tuple:
        """(brand, channel, status, language) of the request; unknown values fall back."""
        brand = self.brand_or_404(self.kwargs["brand_id"])
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        status = data.get("status") if data.get("status") in ALL_CODES else Status.OUT_FOR_DELIVERY.value
        language = data.get("language") if data.get("language") in Language.values else brand.default_language
        return brand, self.kwargs["channel"], status, language

    def editor_url(self, brand, channel, status, language) -> str:
        return reverse("panel:template-editor", args=[brand.pk, channel]) + f"?status={status}&language={language}"

    def page(self, brand, channel, status, language, *, form=None, error=""):
        entries = template_list(brand=brand, channel=channel, language=language)
        entry = next(e for e in entries if e.status == status)
        typed = {}
        if form is None:
            form = TemplateForm(initial={"subject": entry.subject, "body": entry.body})
        elif channel_of(channel).editable:  # a refused save: the preview shows what was typed, not what is saved
            typed = {"body": form.data.get("body", ""),
                     "subject": form.data.get("subject", "") if channel_of(channel).has_subject else None}
        preview = preview_error = None
        try:
            preview = template_preview(brand=brand, channel=channel, status=status, language=language, **typed)
        except RuleViolation as exc:  # an override saved before a rule changed: still say so
            preview_error = exc.message
        context = {
            "brands": brand_selectors.brand_list(account=self.account),
            "brand": brand, "channel": channel, "channel_label": Channel(channel).label,
            "status": status, "status_label": Status(status).label, "language": language,
            "channels": Channel.choices, "languages": Language.choices,
            "entries": [(e.status, Status(e.status).label, e.is_default) for e in entries],
            "entry": entry, "form": form, "editable": channel_of(channel).editable,
            "tags": [(tag, TAG_HELP[tag], tag in OPTIONAL_TAGS) for tag in KNOWN_TAGS],
            "optional_tags": [f"<<{tag}>>" for tag in OPTIONAL_TAGS],
            "optional_part_examples": OPTIONAL_PART_EXAMPLES,
            "preview": preview, "preview_error": preview_error,
            "email_document": email_document(brand, language, preview),
            "error": error,
        }
        return render(self.request, PAGE, context)


class TemplateEditorView(EditorMixin, View):
    def get(self, request, brand_id: int, channel: str):
        return self.page(*self.key())

    def post(self, request, brand_id: int, channel: str):
        """Save the brand's own text for this status and language."""
        brand, channel, status, language = self.key()
        form = TemplateForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            template_override_save(brand=brand, channel=channel, status=status, language=language,
                                   subject=data.get("subject", ""), body=data.get("body", ""))
        except RuleViolation as exc:
            rule_errors(form, exc)
            return self.page(brand, channel, status, language, form=form)
        return self.done(self.editor_url(brand, channel, status, language),
                         gettext("Template saved. New messages use it from now on."))


class TemplateResetView(TemplateEditorView):
    http_method_names = ("post",)

    def post(self, request, brand_id: int, channel: str):
        brand, channel, status, language = self.key()
        try:
            template_override_delete(brand=brand, channel=channel, status=status, language=language)
        except RuleViolation as exc:
            return self.page(brand, channel, status, language, error=exc.message)
        return self.done(self.editor_url(brand, channel, status, language), gettext("Back to the Parcelcast default text."))


class TemplatePreviewView(EditorMixin, View):
    """htmx: the message as a shopper would get it, from the text being typed (nothing saved)."""

    def post(self, request, brand_id: int, channel: str):
        brand, channel, status, language = self.key()
        body = request.POST.get("body")
        subject = request.POST.get("subject") if channel_of(channel).has_subject else None
        preview = error = None
        try:
            preview = template_preview(brand=brand, channel=channel, status=status, language=language,
                                       body=body if channel_of(channel).editable else None, subject=subject)
        except RuleViolation as exc:
            error = exc.message
        return render(request, PREVIEW, {"preview": preview, "preview_error": error, "channel": channel,
                                         "email_document": email_document(brand, language, preview)})


class TemplateSendTestView(EditorMixin, View):
    """htmx: "Send me a test" (e-mail): the typed text, as previewed, to the member's own address."""

    def post(self, request, brand_id: int, channel: str):
        brand, channel, status, language = self.key()
        if not channel_of(channel).has_subject:
            raise Http404("Tests are sent by e-mail.")
        try:
            address = template_test_send(brand=brand, user=request.user, status=status, language=language,
                                         subject=request.POST.get("subject"), body=request.POST.get("body"))
        except RuleViolation as exc:
            return render(request, SEND_TEST, {"error": exc.message}, status=400)
        return render(request, SEND_TEST, {"address": address})
