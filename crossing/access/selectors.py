"""Reads of access state for supervisors and administrators."""

from django.db.models import Q

from crossing.access.models import Agency, Alert, BreakGlassGrant, DenyEntry
from crossing.access.permissions import Scope
from crossing.access.policy import Actor


def open_alerts(*, actor: Actor):
    """Unacknowledged alerts: all of them for a supervisor with the "all" scope, else their agencies'."""
    scopes = {scope for scope, _ in actor.grants.get(("break_glass", "review"), [])}
    if not scopes:
        return Alert.objects.none()
    alerts = Alert.objects.filter(acknowledged_at__isnull=True)
    return alerts if Scope.ALL in scopes else alerts.filter(agency_id__in=actor.agency_ids)


def break_glass_grants(*, actor: Actor):
    """Emergency accesses to review: all for the "all" scope, else those touching the reviewer's agencies."""
    scopes = {scope for scope, _ in actor.grants.get(("break_glass", "review"), [])}
    if not scopes:
        return BreakGlassGrant.objects.none()
    grants = BreakGlassGrant.objects.select_related("user", "person").order_by("-created_at")
    if Scope.ALL in scopes:
        return grants
    return grants.filter(Q(user__memberships__agency_id__in=actor.agency_ids)
                         | Q(person__owner_agency_id__in=actor.agency_ids)).distinct()


def deny_entries(*, actor: Actor):
    if not actor.can("deny_list", "manage"):
        return DenyEntry.objects.none()
    return DenyEntry.objects.select_related("user", "agency", "person").filter(revoked_at__isnull=True)


def agencies():
    return Agency.objects.all()
