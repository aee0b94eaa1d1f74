"""The conditions log of a facility: shelter staff of that facility record it; others cannot."""

import pytest
from django.urls import reverse

from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.registry.models import ConditionReport
from crossing.registry.services.facilities import condition_report


@pytest.mark.django_db
def test_shelter_staff_log_conditions_of_their_own_facility(login, world):
    shelter = world.facilities["shelter"]
    client = login("shelter.staff")
    client.post(reverse("web:facility-detail", args=[shelter.pk]),
                {"condition_kind": "water", "severity": "critical", "condition_note": "tank empty since noon"})
    report = ConditionReport.objects.get()
    assert report.facility == shelter and report.severity == "critical"
    page = client.get(reverse("web:facility-detail", args=[shelter.pk])).content.decode()
    assert "tank empty since noon" in page
    with pytest.raises(ValidationFailed):
        condition_report(actor=actor_for(world.users["shelter.staff"]), facility_id=shelter.pk, kind="wifi",
                         severity="critical")
    for username, facility in (("shelter.staff", world.facilities["camp"]), ("police.analyst", shelter),
                               ("outsider", shelter)):
        with pytest.raises(NotFound):
            condition_report(actor=actor_for(world.users[username]), facility_id=facility.pk, kind="food",
                             severity="strained")
    assert ConditionReport.objects.count() == 1
