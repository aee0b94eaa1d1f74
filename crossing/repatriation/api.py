"""REST API for repatriation: movements (list, create or propose, read, edit, passengers) and the
repatriation cases of the people the caller may see (for embassies' and IOM's own systems).

Each endpoint calls one selector or service; missing and forbidden both answer 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crossing.access import policy
from crossing.repatriation import movements, selectors
from crossing.repatriation.models import CaseState, MovementKind


def _actor(request):
    return policy.actor_for(request.user)


class MovementSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Movement"

    id = serializers.UUIDField(source="movement.id")
    reference = serializers.CharField(source="movement.reference")
    kind = serializers.CharField(source="movement.kind")
    status = serializers.CharField(source="movement.status")
    carrier = serializers.CharField(source="movement.carrier")
    origin = serializers.CharField(source="movement.origin")
    departs_at = serializers.DateTimeField(source="movement.departs_at")
    crossing_day = serializers.DateField(allow_null=True, help_text="The day its people cross (border rules).")
    destinations = serializers.ListField(source="movement.destinations", child=serializers.CharField())
    capacity = serializers.IntegerField(source="movement.capacity")
    booked = serializers.IntegerField()
    cost = serializers.DecimalField(source="movement.cost", max_digits=12, decimal_places=2, allow_null=True)
    currency = serializers.CharField(source="movement.currency")


class MovementInput(serializers.Serializer):
    class Meta:
        ref_name = "MovementInput"

    kind = serializers.ChoiceField(choices=MovementKind.values)
    reference = serializers.CharField(max_length=40)
    origin = serializers.CharField(max_length=120)
    departs_at = serializers.DateTimeField()
    destinations = serializers.ListField(child=serializers.CharField(max_length=3), min_length=1)
    capacity = serializers.IntegerField(min_value=1)
    carrier = serializers.CharField(max_length=120, required=False, default="")
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    currency = serializers.CharField(max_length=3, required=False, default="USD")


class MovementListApi(APIView):
    @extend_schema(summary="Movements from today on (past=1: the past ones)", operation_id="movements_list",
                   parameters=[OpenApiParameter("past", bool)], responses={200: MovementSerializer(many=True)})
    def get(self, request):
        rows = selectors.movements(_actor(request), past=request.query_params.get("past") in ("1", "true"))
        return Response(MovementSerializer(rows, many=True).data)

    @extend_schema(summary="Schedule a movement (an embassy proposes one for its own nationals)",
                   operation_id="movements_create", request=MovementInput, responses={201: MovementSerializer})
    def post(self, request):
        data = MovementInput(data=request.data)
        data.is_valid(raise_exception=True)
        actor = _actor(request)
        movement = movements.create_movement(actor=actor, **data.validated_data)
        return Response(MovementSerializer(selectors.movement_row(actor, movement.pk)).data, status=201)


class MovementDetailApi(APIView):
    @extend_schema(summary="One movement", operation_id="movements_retrieve", responses={200: MovementSerializer})
    def get(self, request, movement_id):
        return Response(MovementSerializer(selectors.movement_row(_actor(request), movement_id)).data)

    @extend_schema(summary="Change a movement (not below the people booked on it)", operation_id="movements_update",
                   request=MovementInput(partial=True), responses={200: MovementSerializer})
    def patch(self, request, movement_id):
        data = MovementInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        actor = _actor(request)
        movements.update_movement(actor=actor, movement_id=movement_id, **data.validated_data)
        return Response(MovementSerializer(selectors.movement_row(actor, movement_id)).data)


class MovementPassengersApi(APIView):
    @extend_schema(summary="The people booked on, departed or arrived with a movement (movement officers)",
                   operation_id="movements_passengers", responses={200: inline_serializer("Passenger", {
                       "case": serializers.UUIDField(), "person": serializers.UUIDField(),
                       "reference": serializers.CharField(), "name": serializers.CharField(),
                       "destination": serializers.CharField(), "state": serializers.CharField()}, many=True)})
    def get(self, request, movement_id):
        actor = _actor(request)
        policy.require(actor, "movement", "manage")
        view = selectors.movement_detail(actor, movement_id)
        return Response([{"case": c.pk, "person": c.person_id, "reference": c.person.reference,
                          "name": c.person.display_name, "destination": c.destination, "state": c.state}
                         for c in view.passengers])


class CaseListApi(APIView):
    @extend_schema(summary="Repatriation cases of the people you may see (an embassy: its nationals)",
                   operation_id="repatriation_cases_list",
                   parameters=[OpenApiParameter("state", str, enum=CaseState.values),
                               OpenApiParameter("destination", str, description="ISO alpha-3"),
                               OpenApiParameter("page", int)],
                   responses={200: inline_serializer("CasePage", {
                       "count": serializers.IntegerField(), "page": serializers.IntegerField(),
                       "pages": serializers.IntegerField(), "results": inline_serializer("RepatriationCase", {
                           "id": serializers.UUIDField(), "person": serializers.UUIDField(),
                           "reference": serializers.CharField(), "destination": serializers.CharField(),
                           "state": serializers.CharField(), "state_since": serializers.DateTimeField(),
                           "holds": serializers.ListField(child=serializers.CharField()),
                           "movement": serializers.CharField(allow_null=True)}, many=True)})})
    def get(self, request):
        g = request.query_params
        page = selectors.case_list(_actor(request), state=g.get("state", ""), destination=g.get("destination", ""),
                                   page=g.get("page", 1))
        return Response({"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                         "results": [{"id": c.pk, "person": c.person_id, "reference": c.person.reference,
                                      "destination": c.destination, "state": c.state, "state_since": c.state_since,
                                      "holds": c.active_holds,
                                      "movement": c.movement.reference if c.movement else None}
                                     for c in page.object_list]})
