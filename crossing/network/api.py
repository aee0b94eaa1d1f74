"""REST API for the intelligence compartment (analysts' and investigators' own tools): search, one
entity with its statements and links, its neighbourhood, the organizer ranking, and FtM import.

Each endpoint calls one selector or service; missing and forbidden both answer 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crossing.access import policy
from crossing.core.api_inputs import RawBodyParser, query_top
from crossing.network import selectors, services


def _actor(request):
    return policy.actor_for(request.user)


class EntitySerializer(serializers.Serializer):
    class Meta:
        ref_name = "NetworkEntity"

    id = serializers.CharField()
    schema = serializers.CharField()
    caption = serializers.CharField()
    properties = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    canonical = serializers.CharField(source="canonical_id", allow_null=True)
    sanctioned = serializers.BooleanField()


class StatementSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NetworkStatement"

    id = serializers.IntegerField()
    prop = serializers.CharField()
    value = serializers.CharField()
    source = serializers.CharField()
    source_kind = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", allow_null=True, default=None)
    recorded_at = serializers.DateTimeField()
    confidence = serializers.FloatField()
    retracted_at = serializers.DateTimeField(allow_null=True)


class LinkSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NetworkLink"

    direction = serializers.ChoiceField(choices=["in", "out"])
    label = serializers.CharField()
    other_id = serializers.CharField()
    other_caption = serializers.CharField()
    other_schema = serializers.CharField()
    amount = serializers.FloatField()
    date = serializers.CharField()


class EntityPageSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NetworkEntityPage"

    entity = EntitySerializer()
    statements = StatementSerializer(many=True)
    links = LinkSerializer(many=True)


class RankedSerializer(serializers.Serializer):
    class Meta:
        ref_name = "NetworkRanked"

    id = serializers.CharField()
    schema = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


_GRAPH = inline_serializer("NetworkGraph", {
    "nodes": serializers.ListField(child=serializers.DictField()),
    "edges": serializers.ListField(child=serializers.DictField()),
    "truncated": serializers.BooleanField(), "centre": serializers.CharField()})


class EntityListApi(APIView):
    @extend_schema(summary="Search entities by name, id or identifier (phone, account, wallet)",
                   operation_id="network_entities_list",
                   parameters=[OpenApiParameter("q", str), OpenApiParameter("schema", str)],
                   responses={200: EntitySerializer(many=True)})
    def get(self, request):
        rows = selectors.search(_actor(request), request.query_params.get("q", ""),
                                schema=request.query_params.get("schema", ""))
        return Response(EntitySerializer(rows, many=True).data)


class EntityDetailApi(APIView):
    @extend_schema(summary="One entity with its statements (provenance) and links", operation_id="network_entity",
                   responses={200: EntityPageSerializer})
    def get(self, request, entity_id):
        return Response(EntityPageSerializer(selectors.entity_page(_actor(request), entity_id)).data)


class NeighbourhoodApi(APIView):
    @extend_schema(summary="The entity's neighbourhood as graph elements", operation_id="network_neighbourhood",
                   parameters=[OpenApiParameter("hops", int)], responses={200: _GRAPH})
    def get(self, request, entity_id):
        try:
            hops = int(request.query_params.get("hops", 1))
        except ValueError:
            hops = 1
        return Response(selectors.neighbourhood(_actor(request), entity_id, hops=hops))


class RankingApi(APIView):
    @extend_schema(summary="Organizers ranked, best first, each with the reasons", operation_id="network_ranking",
                   parameters=[OpenApiParameter("top", int)], responses={200: RankedSerializer(many=True)})
    def get(self, request):
        return Response(RankedSerializer(selectors.ranking(_actor(request), top=query_top(request)), many=True).data)


class JsonLinesParser(RawBodyParser):
    media_type = "application/x-ndjson"


class ImportApi(APIView):
    parser_classes = [JsonLinesParser]

    @extend_schema(summary="Import FtM entities (JSON lines): all or nothing, the same file twice is a no-op",
                   operation_id="network_import", request={"application/x-ndjson": bytes},
                   responses={200: inline_serializer("NetworkImportReport", {
                       "entities": serializers.IntegerField(), "new_statements": serializers.IntegerField(),
                       "resolved": serializers.IntegerField(), "already_imported": serializers.BooleanField()})})
    def post(self, request):
        data = request.data if isinstance(request.data, bytes) else b""
        report = services.import_ftm(actor=_actor(request), data=data,
                                     name=request.query_params.get("name", "api upload")[:200])
        return Response({"entities": report.entities, "new_statements": report.new_statements,
                         "resolved": report.resolved, "already_imported": report.already_imported})
