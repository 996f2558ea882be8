"""Invoice output. Money is a decimal string ("12.34"); unit prices keep up to four decimals."""

from rest_framework import serializers

from billing.documents import unit_price_text
from billing.models import Invoice, InvoiceLine


class InvoiceLineOutputSerializer(serializers.ModelSerializer):
    unit_price = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = InvoiceLine
        fields = ("brand", "brand_name", "channel", "unit_price", "quantity", "amount")

    def get_unit_price(self, line) -> str:
        return unit_price_text(line.unit_price)


class InvoiceOutputSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label")
    money = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}
    net = serializers.DecimalField(**money)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    vat = serializers.DecimalField(**money)
    total = serializers.DecimalField(**money)
    lines = InvoiceLineOutputSerializer(many=True)

    class Meta:
        model = Invoice
        fields = (
            "id", "number", "period", "status", "currency", "net", "vat_rate", "vat", "total", "reverse_charge",
            "vat_note", "issued_at", "paid_at", "lines",
        )
