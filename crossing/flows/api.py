"""REST API for money flows (analysts' own tools): import a transactions file, a payment traced, the
backbone ranking, the latest alerts, and a complaint filed by a partner's hotline.

Each endpoint calls one selector or service; missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crossing.access import policy
from crossing.core.api_inputs import RawBodyParser, query_top
from crossing.core.errors import ValidationFailed
from crossing.flows import formats, selectors, services


def _actor(request):
    return policy.actor_for(request.user)


class RankedAccountSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FlowsRankedAccount"

    account = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    victim_usd = serializers.FloatField(required=False)
    holders = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class AlertRowSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FlowsAlertRow"

    alert_id = serializers.CharField()
    typology = serializers.CharField()
    account = serializers.CharField()
    role = serializers.CharField()
    score = serializers.FloatField()
    amount_usd = serializers.FloatField()
    first_ts = serializers.DateTimeField(allow_null=True)
    last_ts = serializers.DateTimeField(allow_null=True)
    evidence = serializers.CharField()


_TRACE = inline_serializer("FlowsTrace", {
    "txn_id": serializers.CharField(), "rule": serializers.CharField(), "amount_usd": serializers.FloatField(),
    "seed": serializers.DictField(), "flows": serializers.ListField(child=serializers.DictField()),
    "cashouts": serializers.ListField(child=serializers.DictField()),
    "held": serializers.ListField(child=serializers.DictField()),
    "paths": serializers.ListField(child=serializers.DictField()), "conserved": serializers.DictField(),
    "flagged": serializers.DictField(), "behind": serializers.DictField()})


class RankingApi(APIView):
    @extend_schema(summary="Accounts ranked by the victim money passing through them, best first, with reasons",
                   operation_id="flows_ranking", parameters=[OpenApiParameter("top", int)],
                   responses={200: RankedAccountSerializer(many=True)})
    def get(self, request):
        return Response(RankedAccountSerializer(selectors.ranking(_actor(request), top=query_top(request)), many=True).data)


class TraceApi(APIView):
    @extend_schema(summary="One payment followed forward to the cash-out points (FIFO per account, amounts conserved)",
                   operation_id="flows_trace", parameters=[OpenApiParameter("rule", str, enum=["fifo", "proportional"])],
                   responses={200: _TRACE})
    def get(self, request, txn_id):
        rule = request.query_params.get("rule", "fifo")
        return Response(selectors.trace(_actor(request), txn_id, rule=rule if rule in ("fifo", "proportional") else "fifo"))


class AlertsApi(APIView):
    @extend_schema(summary="The latest detector run's alerts, one row per participating account",
                   operation_id="flows_alerts",
                   parameters=[OpenApiParameter("typology", str), OpenApiParameter("account", str),
                               OpenApiParameter("top", int)],
                   responses={200: AlertRowSerializer(many=True)})
    def get(self, request):
        found = selectors.alerts(_actor(request), typology=request.query_params.get("typology", ""),
                                 account=request.query_params.get("account", ""), limit=query_top(request, 500))
        return Response(AlertRowSerializer(found["rows"], many=True).data)


class ImportApi(APIView):
    parser_classes = [RawBodyParser]

    @extend_schema(summary="Import a transactions file (canonical, tron or bank-csv): all or nothing, idempotent",
                   operation_id="flows_import",
                   parameters=[OpenApiParameter("file_format", str, enum=list(formats.FORMATS), required=True,
                                                description="canonical, tron or bank-csv (not 'format': DRF "
                                                            "reserves it for the response format)"),
                               OpenApiParameter("name", str), OpenApiParameter("account", str),
                               OpenApiParameter("currency", str), OpenApiParameter("source", str)],
                   request={"text/csv": bytes},
                   responses={200: inline_serializer("FlowsImportReport", {
                       "rows": serializers.IntegerField(), "new_rows": serializers.IntegerField(),
                       "known_rows": serializers.IntegerField(), "already_imported": serializers.BooleanField()})})
    def post(self, request):
        q = request.query_params
        fmt = q.get("file_format", "")
        if fmt not in formats.FORMATS:
            raise ValidationFailed(_("Unknown format %(f)s (one of %(all)s).") % {"f": fmt, "all": ", ".join(formats.FORMATS)})
        data = request.data if isinstance(request.data, bytes) else b""
        report = services.import_file(actor=_actor(request), data=data, name=q.get("name", "api upload")[:200], fmt=fmt,
                                      account=q.get("account", ""), currency=q.get("currency", ""),
                                      source=q.get("source", ""))
        return Response({"rows": report.rows, "new_rows": report.new_rows, "known_rows": report.known_rows,
                         "already_imported": report.already_imported})
