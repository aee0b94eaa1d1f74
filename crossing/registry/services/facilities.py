"""Facility operations: the daily headcount compared with the registry, and the conditions log."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import ValidationFailed
from crossing.registry.models import ConditionKind, ConditionReport, ConditionSeverity, Headcount
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


@transaction.atomic
def condition_report(*, actor: Actor, facility_id, kind: str, severity: str, note: str = "") -> ConditionReport:
    """Log the conditions in a facility (food, water, sanitation, space, incidents)."""
    facility = policy.access_facility(actor, facility_id, "headcount")
    if kind not in ConditionKind.values or severity not in ConditionSeverity.values:
        raise ValidationFailed(_("Choose what the report is about and how serious it is."))
    report = ConditionReport.objects.create(facility=facility, reported_at=timezone.now(), kind=kind,
                                            severity=severity, note=note.strip()[:300], recorded_by=actor.user)
    audit.record(actor, AuditEventType.FACILITY_CHANGED, subject_type="facility", subject_id=facility.pk,
                 extra={"condition": kind, "severity": severity})
    return report
