"""Record linkage through the web interface: the queue, a pair's evidence, merge and undo, comparing
two lists; every persona without the grant, and the outsider, gets nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crossing.access.cli_actor import cli_actor
from crossing.linkage import services
from crossing.linkage.models import CandidateStatus, MatchCandidate, Merge
from crossing.linkage.tests.test_services import LIST_A, LIST_B, _csv, _duplicate
from crossing.registry.drafts import NameDraft
from crossing.registry.models import Person


def _candidate(world):
    dup = _duplicate(world, names=[NameDraft("CHANG WEI")])
    services.dedupe_registry(actor=cli_actor(None))
    return MatchCandidate.objects.get(status=CandidateStatus.PENDING), dup


@pytest.mark.django_db
def test_an_officer_merges_from_the_pair_page_and_undoes_it(world, login):
    candidate, dup = _candidate(world)
    client = login("case.officer")
    queue = client.get(reverse("web:linkage-queue")).content.decode()
    assert str(candidate.pk) in queue and dup.reference in queue
    page = client.get(reverse("web:linkage-candidate", args=[candidate.pk])).content.decode()
    assert "same name in one of its romanizations" in page and "E12345678" in page
    survivor = world.people["cn_shelter"]
    response = client.post(reverse("web:linkage-candidate", args=[candidate.pk]),
                           {"decision": "same", "survivor": str(survivor.pk), "note": "same passport"})
    assert response.status_code == 302
    assert Person.objects.get(pk=dup.pk).merged_into_id == survivor.pk
    # The merged record's page leads to the survivor, which says what was merged into it.
    response = client.get(reverse("web:person-detail", args=[dup.pk]))
    assert response.status_code == 302 and str(survivor.pk) in response["Location"]
    assert dup.reference in client.get(response["Location"]).content.decode()
    merge = Merge.objects.get(candidate=candidate)
    response = client.post(reverse("web:linkage-unmerge", args=[merge.pk]), {"reason": "", "candidate": candidate.pk})
    assert Merge.objects.get(pk=merge.pk).undone_at is None  # a reason is required
    client.post(reverse("web:linkage-unmerge", args=[merge.pk]), {"reason": "not the same", "candidate": candidate.pk})
    assert Person.objects.get(pk=dup.pk).merged_into_id is None
    assert client.get(reverse("web:person-detail", args=[dup.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "auditor", "embassy.kenya", "shelter.staff", "police.analyst", "admin"])
def test_people_without_the_grant_get_nothing_from_the_linkage_pages(world, login, username):
    candidate, _dup = _candidate(world)
    client = login(username)
    assert client.get(reverse("web:linkage-candidate", args=[candidate.pk])).status_code == 404
    assert client.post(reverse("web:linkage-candidate", args=[candidate.pk]), {"decision": "same"}).status_code == 404
    queue = client.get(reverse("web:linkage-queue"))
    assert queue.status_code in (403, 404) or str(candidate.pk) not in queue.content.decode()
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


def _uploads(a=None, b=None):
    return {"list_a": SimpleUploadedFile("a.csv", a or _csv(LIST_A), "text/csv"),
            "list_b": SimpleUploadedFile("b.csv", b or _csv(LIST_B), "text/csv"), "threshold": "0.5"}


@pytest.mark.django_db
def test_an_embassy_compares_its_missing_list_with_a_handover_list(world, login):
    client = login("embassy.china")
    body = client.post(reverse("web:linkage-link"), {**_uploads(), "compare": "1"}).content.decode()
    assert "3 on both lists" in body and "A4" in body and "B4" in body
    response = client.post(reverse("web:linkage-link"), {**_uploads(), "download": "1"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "row_ref_a,row_ref_b,match_probability" and len(lines) == 4


@pytest.mark.django_db
def test_a_bad_list_is_refused_naming_row_and_column(world, login):
    client = login("embassy.china")
    bad = _csv([["X", "1", "A B", "", "M", "1990-13-40", "", "", ""]])
    body = client.post(reverse("web:linkage-link"), {**_uploads(b=bad), "compare": "1"}).content.decode()
    assert "date_of_birth" in body and "nothing was linked" in body


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "auditor", "shelter.staff"])
def test_comparing_lists_needs_the_grant(world, login, username):
    client = login(username)
    assert client.get(reverse("web:linkage-link")).status_code in (403, 404)
    assert client.post(reverse("web:linkage-link"), {**_uploads(), "compare": "1"}).status_code in (403, 404)


@pytest.mark.django_db
def test_search_before_create_scores_what_is_typed_with_the_linkage_model(world, login):
    client = login("case.officer")
    query = {"full_name": "CHANG WEI", "date_of_birth": "1996-05-04", "nationality": "CHN", "sex": "male"}
    body = client.get(reverse("web:person-matches"), query).content.decode()
    assert world.people["cn_shelter"].reference in body  # Wade-Giles typed, 张伟 registered
    assert "same name in one of its romanizations" in body
    other = login("embassy.kenya")
    assert world.people["cn_shelter"].reference not in other.get(reverse("web:person-matches"), query).content.decode()
