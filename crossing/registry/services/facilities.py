"""Facility operations: the daily headcount compared with the registry."""

from django.db import transaction
from django.utils import timezone

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.registry.models import Headcount
from crossing.registry.stats import facility_occupancy


@transaction.atomic
def headcount_record(*, actor: Actor, facility_id, men: int, women: int, minors: int, note: str = "") -> Headcount:
    """Store a roll-call with the registry's expected numbers; a gap is a possible absconding."""
    facility = policy.access_facility(actor, facility_id, "headcount")
    expected = facility_occupancy(facility, actor=actor)  # what this officer may see
    count = Headcount.objects.create(
        facility=facility, counted_at=timezone.now(), men=men, women=women, minors=minors,
        expected_men=expected["men"], expected_women=expected["women"], expected_minors=expected["minors"],
        note=note[:300], recorded_by=actor.user,
    )
    audit.record(actor, AuditEventType.HEADCOUNT_RECORDED, subject_type="facility", subject_id=facility.pk,
                 extra={"counted": men + women + minors, "expected": sum(expected.values()), "discrepancy": count.discrepancy})
    return count
