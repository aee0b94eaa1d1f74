"""REST API for the registry: people (scoped, audited), compounds, facilities, imports.

Each endpoint calls one selector or service; missing and forbidden both answer 404.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.core.errors import ApplicationError, PermissionDeniedError
from crossing.registry import selectors
from crossing.registry.importing.columns import parse_mapping
from crossing.registry.importing.service import import_list
from crossing.registry.models import PersonStatus


def _actor(request):
    return policy.actor_for(request.user)


class PersonListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonListItem"

        id = serializers.UUIDField()
        reference = serializers.CharField()
        display_name = serializers.CharField()
        sex = serializers.CharField()
        date_of_birth = serializers.DateField(allow_null=True)
        dob_precision = serializers.CharField()
        nationalities = serializers.SerializerMethodField()
        status = serializers.CharField()
        facility = serializers.SerializerMethodField()

        def get_nationalities(self, obj) -> list[str]:
            return [n.country for n in obj.nationalities.all()]

        def get_facility(self, obj) -> str | None:
            return str(obj.current_facility_id) if obj.current_facility_id else None

    @extend_schema(
        summary="List people you may see", operation_id="people_list",
        parameters=[
            OpenApiParameter("nationality", str, description="ISO 3166-1 alpha-3, e.g. KEN"),
            OpenApiParameter("status", str, enum=PersonStatus.values),
            OpenApiParameter("facility", OpenApiTypes.UUID), OpenApiParameter("compound", OpenApiTypes.UUID),
            OpenApiParameter("q", str, description="name in any script, document number or reference"),
            OpenApiParameter("page", int),
        ],
        responses={200: inline_serializer("PersonPage", {
            "count": serializers.IntegerField(), "page": serializers.IntegerField(), "pages": serializers.IntegerField(),
            "results": OutputSerializer(many=True)})},
    )
    def get(self, request):
        actor = _actor(request)
        if not actor.can("person", "list"):
            return Response({"count": 0, "page": 1, "pages": 1, "results": []})
        g = request.query_params
        filters = selectors.PersonFilters(q=g.get("q", "")[:200], nationality=g.get("nationality", "")[:3],
                                          status=g.get("status", ""), facility=g.get("facility", ""), compound=g.get("compound", ""))
        page = selectors.person_list(actor=actor, filters=filters, page=g.get("page", 1), per_page=50)
        return Response({"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                         "results": self.OutputSerializer(page.object_list, many=True).data})


class PersonDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonDetail"

        id = serializers.UUIDField(source="person.id")
        reference = serializers.CharField(source="person.reference")
        names = serializers.SerializerMethodField()
        sex = serializers.CharField(source="person.sex")
        date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)
        dob_precision = serializers.CharField(source="person.dob_precision")
        age_estimate = serializers.IntegerField(source="person.age_estimate", allow_null=True)
        nationalities = serializers.ListField(child=serializers.CharField())
        status = serializers.CharField(source="person.status")
        facility = serializers.SerializerMethodField()
        compound = serializers.SerializerMethodField()
        sections = serializers.SerializerMethodField()
        documents = serializers.SerializerMethodField()
        contacts = serializers.SerializerMethodField()
        phones = serializers.SerializerMethodField()
        vulnerabilities = serializers.SerializerMethodField()
        placements = serializers.SerializerMethodField()

        def get_names(self, v) -> list[dict]:
            return [{"full_name": n.full_name, "script": n.script, "kind": n.kind, "romanized": n.romanized} for n in v.names]

        def get_facility(self, v) -> str | None:
            return v.person.current_facility.name if v.person.current_facility else None

        def get_compound(self, v) -> str | None:
            return v.person.compound.name if v.person.compound else None

        def get_sections(self, v) -> list[str]:
            return sorted(v.sections)

        def get_documents(self, v) -> list[dict] | None:
            if "person_documents" not in v.sections:
                return None
            return [{"type": d.doc_type, "number": d.number, "issuing_country": d.issuing_country,
                     "expiry": d.expiry, "custodian": d.custodian} for d in v.documents]

        def get_contacts(self, v) -> list[dict] | None:
            if "person_contacts" not in v.sections:
                return None
            return [{"name": c.name, "relationship": c.relationship, "phone": c.phone, "consent_to_contact": c.consent_to_contact}
                    for c in v.contacts]

        def get_phones(self, v) -> list[str] | None:
            return [p.e164 or p.number for p in v.phones] if "person_contacts" in v.sections else None

        def get_vulnerabilities(self, v) -> list[str] | None:
            return [x.kind for x in v.vulnerabilities] if "person_vulnerabilities" in v.sections else None

        def get_placements(self, v) -> list[dict] | None:
            if "person_placement" not in v.sections:
                return None
            return [{"facility": p.facility.name, "check_in": p.check_in, "check_out": p.check_out, "reason": p.reason,
                     "check_out_reason": p.check_out_reason} for p in v.placements]

    @extend_schema(summary="One person, with the sections you may read", operation_id="people_retrieve", responses={200: OutputSerializer})
    def get(self, request, person_id):
        view = selectors.person_get(actor=_actor(request), person_id=person_id)
        return Response(self.OutputSerializer(view).data)


class CompoundListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Compound"

        id = serializers.UUIDField()
        name = serializers.CharField()
        aliases = serializers.SerializerMethodField()
        country = serializers.CharField()
        latitude = serializers.FloatField(allow_null=True)
        longitude = serializers.FloatField(allow_null=True)
        controlling_group = serializers.CharField()
        estimated_headcount = serializers.IntegerField(allow_null=True)

        def get_aliases(self, obj) -> list[str]:
            return [a.name for a in obj.aliases.all()]

    @extend_schema(summary="Compounds", operation_id="compounds_list", responses={200: OutputSerializer(many=True)})
    def get(self, request):
        actor = _actor(request)
        compounds = policy.compounds(actor).prefetch_related("aliases")
        audit.record(actor, AuditEventType.COMPOUND_VIEWED, subject_type="compound", extra={"list": True})
        return Response(self.OutputSerializer(compounds, many=True).data)


class FacilityListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Facility"

        id = serializers.UUIDField()
        name = serializers.CharField()
        kind = serializers.CharField()
        country = serializers.CharField()
        latitude = serializers.FloatField(allow_null=True)
        longitude = serializers.FloatField(allow_null=True)
        capacity_men = serializers.IntegerField()
        capacity_women = serializers.IntegerField()
        capacity_minors = serializers.IntegerField()

    @extend_schema(summary="Holding facilities", operation_id="facilities_list", responses={200: OutputSerializer(many=True)})
    def get(self, request):
        actor = _actor(request)
        facilities = policy.facilities(actor, "view")
        audit.record(actor, AuditEventType.FACILITY_VIEWED, subject_type="facility", extra={"list": True})
        return Response(self.OutputSerializer(facilities, many=True).data)


class ImportApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import a handover list (dry_run=true only validates)", operation_id="imports_create",
        request={"multipart/form-data": inline_serializer("ImportRequest", {
            "file": serializers.FileField(), "dry_run": serializers.BooleanField(default=False),
            "mapping": serializers.ListField(child=serializers.CharField(), required=False,
                                             help_text="canonical=Source Header pairs"),
            "encoding": serializers.CharField(required=False)})},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        actor = _actor(request)
        if not actor.can("person", "import"):
            raise PermissionDeniedError(_("Your role may not import lists."))
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Send the list as the 'file' field."))
        limit = settings.CROSSING_IMPORT_MAX_MB * 1024 * 1024
        if upload.size > limit:
            raise ApplicationError(_("the file is %(size).1f MB; the limit for uploads is %(limit)s MB")
                                   % {"size": upload.size / 1e6, "limit": settings.CROSSING_IMPORT_MAX_MB})
        try:
            mapping = parse_mapping(request.data.getlist("mapping"))
        except ValueError as exc:
            raise ApplicationError(str(exc)) from None
        report = import_list(actor=actor, data=upload.read(), filename=upload.name, mapping=mapping,
                             dry_run=str(request.data.get("dry_run", "")).lower() in {"1", "true", "yes"},
                             encoding=request.data.get("encoding") or None, max_bytes=limit)
        return Response(report.as_dict(), status=200 if report.ok else 400)
