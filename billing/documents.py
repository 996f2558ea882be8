"""Invoice documents: the printable HTML page (templates/billing/invoice.html) and the PDF.

Both are drawn from one `invoice_document(invoice)`, so they always say the same thing. The PDF
is made with fpdf2 (pure Python, no system libraries) in its built-in Helvetica, which covers
Latin-1: other characters are transliterated (Ł -> L) rather than failing the download.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from billing.models import Invoice, InvoiceStatus
from billing.seller import Seller, seller

PAYMENT_TERM_DAYS = 14
CHANNEL_LABELS = {"whatsapp": "WhatsApp template messages", "sms": "SMS messages", "email": "E-mails"}


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def unit_price_text(price: Decimal) -> str:
    """At least two decimals, up to four: 0.14, 0.0456."""
    whole, _, fraction = f"{price.normalize():f}".partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: int
    unit_price: str
    amount: str


@dataclass(frozen=True)
class InvoiceDocument:
    invoice: Invoice
    seller: Seller
    title: str
    number: str
    period_label: str
    issue_date: dt.date | None
    due_date: dt.date | None
    customer_name: str
    customer_country: str
    customer_vat_number: str
    lines: list[DocumentLine]
    currency: str
    net: str
    vat_label: str
    vat: str
    total: str
    vat_note: str
    notes: str
    watermark: str  # "DRAFT" / "VOID" across the page; empty for a real invoice


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """Everything a document shows. `invoice` should come with its lines prefetched."""
    issued = invoice.issued_at.date() if invoice.issued_at else None
    rate = f"{invoice.vat_rate.normalize():f}"
    return InvoiceDocument(
        invoice=invoice,
        seller=seller(),
        title="Invoice" if invoice.number else "Draft invoice",
        number=invoice.number or "(not issued yet)",
        period_label=f"{invoice.period:%B %Y}",
        issue_date=issued,
        due_date=issued + dt.timedelta(days=PAYMENT_TERM_DAYS) if issued else None,
        customer_name=invoice.customer_name,
        customer_country=countries.name(invoice.customer_country) or str(invoice.customer_country),
        customer_vat_number=invoice.customer_vat_number,
        lines=[
            DocumentLine(
                description=f"{line.brand_name}: {CHANNEL_LABELS.get(line.channel, line.channel)}",
                quantity=line.quantity,
                unit_price=unit_price_text(line.unit_price),
                amount=money(line.amount),
            )
            for line in invoice.lines.all()
        ],
        currency=invoice.currency,
        net=money(invoice.net),
        vat_label="VAT reverse charged" if invoice.reverse_charge else f"VAT {rate}%",
        vat=money(invoice.vat),
        total=money(invoice.total),
        vat_note=invoice.vat_note,
        notes=invoice.notes,
        watermark={InvoiceStatus.DRAFT: "DRAFT", InvoiceStatus.VOID: "VOID"}.get(invoice.status, ""),
    )


def render_invoice_html(invoice: Invoice, *, request=None) -> str:
    return render_to_string("billing/invoice.html", {"doc": invoice_document(invoice)}, request=request)


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.number or f'draft-{invoice.pk}'}.pdf"


def invoice_pdf_response(invoice: Invoice, *, download: bool = False) -> HttpResponse:
    """The PDF as an HTTP response (inline by default, so a browser shows it)."""
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{pdf_filename(invoice)}"'
    return response


def invoice_html_response(invoice: Invoice, *, request=None) -> HttpResponse:
    """The printable page as an HTTP response."""
    return HttpResponse(render_invoice_html(invoice, request=request))


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF document (bytes starting with %PDF)."""
    doc = invoice_document(invoice)
    pdf = _InvoicePDF(doc)
    pdf.draw()
    return bytes(pdf.output())


def latin1(text: str) -> str:
    """What Helvetica can print: the euro sign spelt out, accents kept where Latin-1 has them."""
    text = str(text).replace("€", "EUR").replace("\u2013", "-").replace("\u2014", "-")
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 128)
        out.append(base or {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d"}.get(char, "?"))
    return "".join(out)


class _InvoicePDF(FPDF):
    LINE = 5

    def __init__(self, doc: InvoiceDocument):
        super().__init__(format="A4", unit="mm")
        self.doc = doc
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_title(latin1(f"{doc.title} {doc.number}"))
        self.set_author(latin1(doc.seller.name))
        self.set_creator("Parcelcast")

    def text_line(self, text: str, *, size: float = 9, style: str = "", align: str = "L", width: float = 0) -> None:
        self.set_font("Helvetica", style, size)
        self.cell(width, self.LINE, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def footer(self) -> None:
        s = self.doc.seller
        self.set_y(-15)
        self.set_font("Helvetica", "", 7)
        self.set_text_color(110)
        self.cell(0, 4, latin1(f"{s.name} - {s.address} - VAT {s.vat_number} - {s.chamber_of_commerce} - "
                               f"IBAN {s.iban}"), align="C")
        self.set_text_color(0)

    def draw(self) -> None:
        doc, s = self.doc, self.doc.seller
        self.add_page()
        if doc.watermark:
            with self.local_context(text_color=(200, 200, 200)):
                self.set_font("Helvetica", "B", 60)
                with self.rotation(30, x=105, y=150):
                    self.text(60, 160, doc.watermark)
        self.text_line(s.name, size=14, style="B")
        for part in (s.address, f"VAT {s.vat_number}", s.chamber_of_commerce, s.email):
            self.text_line(part)
        self.ln(6)
        self.text_line(f"{doc.title} {doc.number if doc.invoice.number else ''}".strip(), size=16, style="B")
        self.ln(2)
        y = self.get_y()
        self.text_line("Bill to", style="B")
        for part in (doc.customer_name, doc.customer_country,
                     f"VAT {doc.customer_vat_number}" if doc.customer_vat_number else ""):
            if part:
                self.text_line(part)
        bottom = self.get_y()
        self.set_y(y)
        for label, value in (("Invoice number", doc.number), ("Period", doc.period_label),
                             ("Issue date", doc.issue_date or "-"), ("Due date", doc.due_date or "-")):
            self.set_x(115)
            self.set_font("Helvetica", "B", 9)
            self.cell(32, self.LINE, label)
            self.set_font("Helvetica", "", 9)
            self.cell(0, self.LINE, latin1(str(value)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(bottom, self.get_y()) + 6)
        self._lines_table()
        self.ln(3)
        for label, value, style in (("Net", doc.net, ""), (doc.vat_label, doc.vat, ""),
                                    (f"Total {doc.currency}", doc.total, "B")):
            self.set_x(115)
            self.set_font("Helvetica", style, 10)
            self.cell(45, 6, latin1(label))
            self.cell(0, 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        for text in (doc.vat_note, doc.notes):
            if text:
                self.set_font("Helvetica", "", 8)
                self.multi_cell(0, 4, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.ln(2)
        if doc.due_date:
            self.set_font("Helvetica", "", 8)
            self.multi_cell(0, 4, latin1(f"Please pay {doc.currency} {doc.total} by {doc.due_date} to IBAN {s.iban}, "
                                         f"quoting {doc.number}."))

    def _lines_table(self) -> None:
        doc = self.doc
        self.set_font("Helvetica", "", 9)
        with self.table(col_widths=(88, 22, 28, 36), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                        first_row_as_headings=True, line_height=6, borders_layout="HORIZONTAL_LINES") as table:
            table.row(("Description", "Quantity", "Unit price", f"Amount {doc.currency}"))
            for line in doc.lines:
                table.row((latin1(line.description), f"{line.quantity:,}", line.unit_price, line.amount))
            if not doc.lines:
                table.row(("No billable messages in this period", "", "", ""))
