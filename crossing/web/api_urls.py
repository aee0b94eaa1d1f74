"""/api/v1/ and the OpenAPI schema. The API uses the same access layer as the pages."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from crossing.access.api import TokenCreateApi
from crossing.flows.api import AlertsApi as FlowsAlertsApi
from crossing.flows.api import ImportApi as FlowsImportApi
from crossing.flows.api import RankingApi as FlowsRankingApi
from crossing.flows.api import TraceApi as FlowsTraceApi
from crossing.network.api import EntityDetailApi, EntityListApi, NeighbourhoodApi, RankingApi
from crossing.network.api import ImportApi as NetworkImportApi
from crossing.registry.api import CompoundListApi, FacilityListApi, ImportApi, PersonDetailApi, PersonListApi
from crossing.repatriation.api import CaseListApi, MovementDetailApi, MovementListApi, MovementPassengersApi

urlpatterns = [
    path("v1/auth/token", TokenCreateApi.as_view(), name="api-token"),
    path("v1/people/", PersonListApi.as_view(), name="api-person-list"),
    path("v1/people/<uuid:person_id>/", PersonDetailApi.as_view(), name="api-person-detail"),
    path("v1/compounds/", CompoundListApi.as_view(), name="api-compound-list"),
    path("v1/facilities/", FacilityListApi.as_view(), name="api-facility-list"),
    path("v1/imports/", ImportApi.as_view(), name="api-import"),
    path("v1/movements/", MovementListApi.as_view(), name="api-movement-list"),
    path("v1/movements/<uuid:movement_id>/", MovementDetailApi.as_view(), name="api-movement-detail"),
    path("v1/movements/<uuid:movement_id>/passengers/", MovementPassengersApi.as_view(),
         name="api-movement-passengers"),
    path("v1/repatriation/cases/", CaseListApi.as_view(), name="api-repatriation-cases"),
    path("v1/network/entities/", EntityListApi.as_view(), name="api-network-entities"),
    path("v1/network/entities/<str:entity_id>/", EntityDetailApi.as_view(), name="api-network-entity"),
    path("v1/network/entities/<str:entity_id>/neighbourhood/", NeighbourhoodApi.as_view(),
         name="api-network-neighbourhood"),
    path("v1/network/ranking/", RankingApi.as_view(), name="api-network-ranking"),
    path("v1/network/import/", NetworkImportApi.as_view(), name="api-network-import"),
    path("v1/flows/ranking/", FlowsRankingApi.as_view(), name="api-flows-ranking"),
    path("v1/flows/alerts/", FlowsAlertsApi.as_view(), name="api-flows-alerts"),
    path("v1/flows/trace/<str:txn_id>/", FlowsTraceApi.as_view(), name="api-flows-trace"),
    path("v1/flows/import/", FlowsImportApi.as_view(), name="api-flows-import"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
