"""The repatriation card on the person page and the embassy's travel-document workspace, as each
persona, through the test client."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from crossing.access.policy import actor_for
from crossing.registry.models import IdentityDocument
from crossing.repatriation import services
from crossing.repatriation.models import RepatriationCase, TravelDocumentRequest


@pytest.mark.django_db
def test_movement_officer_opens_and_advances_a_case_in_the_browser(login, world):
    person = world.people["cn_shelter"]
    client = login("iom.movement")
    page = client.get(reverse("web:person-detail", args=[person.pk])).content.decode()
    assert 'id="open-case"' in page
    client.post(reverse("web:repatriation-open", args=[person.pk]))
    case = RepatriationCase.objects.get(person=person)
    url = reverse("web:repatriation-advance", args=[person.pk, case.pk])
    client.post(url, {"to_state": "counselled", "reason": "information on return given"})
    response = client.post(url, {"to_state": "funded", "reason": "skip"}, follow=True)
    assert "not the next step" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "counselled"
    page = client.get(reverse("web:person-detail", args=[person.pk])).content.decode()
    assert 'data-value="counselled"' in page and "Voluntariness confirmed" in page
    # Hold and lift from the card.
    client.post(reverse("web:repatriation-hold", args=[person.pk, case.pk]), {"hold_reason": "medical", "note": "x"})
    hold = case.holds.get()
    client.post(reverse("web:repatriation-lift-hold", args=[person.pk, hold.pk]), {"note": "recovered"})
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    # Those without the grant see no card, and posting is refused.
    for username in ("auditor", "prosecutor"):
        other = login(username)
        assert other.post(url, {"to_state": "voluntariness_confirmed", "reason": "x"}).status_code in (403, 404)
    page = login("police.analyst").get(reverse("web:person-detail", args=[person.pk])).content.decode()
    assert 'id="repatriation-card"' in page and 'id="advance-form"' not in page  # a witness hold only


@pytest.mark.django_db
def test_an_embassy_issues_travel_documents_for_its_own_nationals_only(login, world):
    iom = actor_for(world.users["iom.movement"])
    for key in ("cn_shelter", "cn_camp", "ke_shelter"):
        case = services.open_case(actor=iom, person_id=world.people[key].pk)
        services.request_travel_document(actor=iom, case_id=case.pk)
    china = login("embassy.china")
    page = china.get(reverse("web:repatriation-documents")).content.decode()
    assert world.people["cn_shelter"].reference in page and world.people["cn_camp"].reference in page
    assert world.people["ke_shelter"].reference not in page
    ids = list(TravelDocumentRequest.objects.filter(country="CHN").values_list("pk", flat=True))
    expiry = (date.today() + timedelta(days=60)).isoformat()
    post = {"selected": [str(i) for i in ids], "action": "issue", "expiry": expiry}
    post |= {f"number-{i}": f"ETD-{n}" for n, i in enumerate(ids)}
    china.post(reverse("web:repatriation-documents"), post)
    assert IdentityDocument.objects.filter(doc_type="emergency_travel_document", issuing_country="CHN").count() == 2
    kenya_request = TravelDocumentRequest.objects.get(country="KEN")
    response = china.post(reverse("web:repatriation-documents"),
                          {"selected": [str(kenya_request.pk)], "action": "issue", "expiry": expiry,
                           f"number-{kenya_request.pk}": "X"})
    assert response.status_code == 404
    for username in ("outsider", "iom.movement", "police.analyst"):
        assert login(username).get(reverse("web:repatriation-documents")).status_code == 404
