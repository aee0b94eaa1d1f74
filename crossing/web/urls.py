from django.http import HttpResponse
from django.urls import path

from crossing.web.views import accounts, dashboard, imports, linkage, oversight, people, places

app_name = "web"
urlpatterns = [
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/two-factor/", accounts.two_factor_view, name="two-factor"),
    path("", dashboard.dashboard, name="dashboard"),
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/new/matches/", people.person_matches, name="person-matches"),
    path("people/export.csv", people.person_export, name="person-export"),
    path("people/import/", imports.import_view, name="import"),
    path("people/<uuid:person_id>/", people.person_detail, name="person-detail"),
    path("people/<uuid:person_id>/access-log/", people.person_access_log, name="person-access-log"),
    path("people/<uuid:person_id>/move/", people.person_move, name="person-move"),
    path("people/<uuid:person_id>/names/", people.person_add_name, name="person-add-name"),
    path("people/<uuid:person_id>/documents/<int:document_id>/custodian/", people.document_custodian,
         name="document-custodian"),
    path("duplicates/", linkage.queue, name="linkage-queue"),
    path("duplicates/<uuid:candidate_id>/", linkage.candidate, name="linkage-candidate"),
    path("duplicates/merges/<uuid:merge_id>/undo/", linkage.unmerge, name="linkage-unmerge"),
    path("link-lists/", linkage.link_lists, name="linkage-link"),
    path("compounds/", places.compound_list, name="compound-list"),
    path("compounds/<uuid:compound_id>/", places.compound_detail, name="compound-detail"),
    path("facilities/", places.facility_list, name="facility-list"),
    path("facilities/<uuid:facility_id>/", places.facility_detail, name="facility-detail"),
    path("audit/", oversight.audit_log, name="audit"),
    path("audit/export.csv", oversight.audit_export, name="audit-export"),
    path("emergency-access/", oversight.break_glass, name="break-glass"),
    path("oversight/", oversight.oversight, name="oversight"),
    path("oversight/break-glass/<uuid:grant_id>/review/", oversight.break_glass_review, name="break-glass-review"),
    path("oversight/deny/<uuid:entry_id>/revoke/", oversight.deny_revoke, name="deny-revoke"),
]
