"""Tracking API views: thin; shapes in serializers.py, rules in services.py, reads in selectors.py.

Every view is account-scoped (`scoped_model = Shipment`): a shipment of another account is a
404, found before any input is read, so nothing about it leaks through validation errors.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from brands.scoping import AccountScopedAPIMixin
from tracking import selectors, services
from tracking.api import serializers as s
from tracking.models import Shipment


class ShipmentListCreateApi(AccountScopedAPIMixin, GenericAPIView):
    """The account's shipments. POSTing a (brand, carrier, tracking number) that exists answers
    200 with the existing shipment (201 when new), so integrations can simply resend."""

    scoped_model = Shipment
    InputSerializer = s.ShipmentInput
    FilterSerializer = s.ShipmentFilter
    OutputSerializer = s.ShipmentOutput

    @extend_schema(parameters=[s.ShipmentFilter], responses=s.ShipmentOutput(many=True))
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.shipment_list(account=self.account, filters=filters.validated_data))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(request=s.ShipmentInput, responses={201: s.ShipmentOutput, 200: s.ShipmentOutput})
    def post(self, request):
        data = self.InputSerializer(data=request.data, context={"account": self.account})
        data.is_valid(raise_exception=True)
        shipment, created = services.shipment_create(account=self.account, **data.validated_data)
        return Response(
            self.OutputSerializer(shipment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ShipmentDetailApi(AccountScopedAPIMixin, GenericAPIView):
    """One shipment with its events (newest first) and messages."""

    scoped_model = Shipment
    OutputSerializer = s.ShipmentDetailOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Shipment.objects.none()
        return selectors.shipment_detail_queryset(account=self.account)

    @extend_schema(responses=s.ShipmentDetailOutput)
    def get(self, request, pk):
        return Response(self.OutputSerializer(self.get_object()).data)


class ShipmentEventsApi(AccountScopedAPIMixin, GenericAPIView):
    """Record one event of a shipment: 201 when new, 200 (the stored event) when a repeat."""

    scoped_model = Shipment
    InputSerializer = s.EventInput
    OutputSerializer = s.EventOutput

    @extend_schema(request=s.EventInput, responses={201: s.EventOutput, 200: s.EventOutput})
    def post(self, request, pk):
        shipment = self.get_object()  # 404 for another account's shipment, before reading input
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event, created = services.event_record(shipment=shipment, **data.validated_data)
        return Response(
            self.OutputSerializer(event).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class TrackingEventsBulkApi(AccountScopedAPIMixin, GenericAPIView):
    """Up to 1000 events of the account's shipments, found by (carrier, tracking number).

    A bad item never sinks the others: it comes back in `rejected` (index, field, code, message:
    an event from the future is `in_the_future`) and the good ones are stored. A body that is not
    a list, or longer than 1000, is refused whole (400). Tracking numbers that are not among the
    account's shipments come back in `unknown`, untouched."""

    scoped_model = Shipment
    InputSerializer = s.BulkEventInput  # one item; the body is a list of them

    @extend_schema(
        request=s.BulkEventInput(many=True),
        responses={200: s.BulkResultOutput, 400: OpenApiResponse(description="Not a list, or over 1000 items.")},
    )
    def post(self, request):
        items = request.data
        if not isinstance(items, list):
            raise ValidationError({"non_field_errors": ["Send a JSON list of events."]})
        if len(items) > services.MAX_BULK_EVENTS:
            raise ValidationError({"non_field_errors": [
                f"At most {services.MAX_BULK_EVENTS} events per call; got {len(items)}."]})
        good, rejected = [], []
        for index, item in enumerate(items):
            data = self.InputSerializer(data=item)
            if data.is_valid():
                good.append(data.validated_data)
            else:
                rejected.extend(_rejections(index, data.errors))
        result = services.events_record_bulk(account=self.account, items=good)
        return Response(s.BulkResultOutput({**vars(result), "rejected": rejected}).data)


def _rejections(index: int, errors) -> list[dict]:
    """One entry per bad field of item `index`: its stable code and message."""
    found = []
    for field, messages in (errors.items() if isinstance(errors, dict) else [("non_field_errors", errors)]):
        for message in messages if isinstance(messages, list) else [messages]:
            found.append({"index": index, "field": field, "code": getattr(message, "code", "invalid"),
                          "message": str(message)})
    return found
