"""Reads of access state for supervisors and administrators."""

from crossing.access.models import Agency, Alert, BreakGlassGrant, DenyEntry
from crossing.access.policy import Actor


def open_alerts(*, actor: Actor):
    if not actor.can("break_glass", "review"):
        return Alert.objects.none()
    return Alert.objects.filter(agency_id__in=actor.agency_ids, acknowledged_at__isnull=True)


def break_glass_grants(*, actor: Actor):
    if not actor.can("break_glass", "review"):
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.select_related("user", "person").order_by("-created_at")


def deny_entries(*, actor: Actor):
    if not actor.can("deny_list", "manage"):
        return DenyEntry.objects.none()
    return DenyEntry.objects.select_related("user", "agency", "person").filter(revoked_at__isnull=True)


def agencies():
    return Agency.objects.all()
