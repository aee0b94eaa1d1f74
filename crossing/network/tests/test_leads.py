"""A lead from an interview enters the compartment; the officer who filed it sees nothing of it."""

import pytest

from analytics.network.vocabulary import EdgeKind
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import leads, selectors
from crossing.network.models import Edge, Entity

LEAD = leads.Lead(recruiter_name="Ko Aung", recruiter_phone="089 555 1234", recruiter_handle="@easyjob_th",
                  handle_service="telegram", advert_text="Customer service in Bangkok, USD 1,500 a month",
                  boss_name="Boss Bai", compound_name="KK Park", consent=True)


def test_a_lead_becomes_a_recruitment_chain_for_the_analyst(world):
    person = world.people["cn_shelter"]
    touched = leads.contribute(actor=actor_for(world.users["screening.officer"]), person_id=person.pk, lead=LEAD)
    assert touched == 11
    worker = Entity.objects.get(pk=f"worker-{person.reference}")
    assert worker.person == person
    recruiter = Entity.objects.get(schema="Person", caption="Ko Aung")
    assert Edge.objects.filter(source=recruiter.pk, target=worker.pk, kind=EdgeKind.RECRUITED).exists()
    assert Edge.objects.filter(source=recruiter.pk, target="phone:+66895551234").exists()
    advert = Entity.objects.get(schema="Document")
    assert Edge.objects.filter(source=advert.pk, target="phone:+66895551234").exists()  # the advert's number
    assert Edge.objects.filter(target=worker.pk, kind=EdgeKind.HELD_AT).exists()
    # The same lead filed twice adds nothing new.
    leads.contribute(actor=actor_for(world.users["case.officer"]), person_id=person.pk, lead=LEAD)
    assert Entity.objects.filter(schema="Person", caption="Ko Aung").count() == 1


def test_the_contributor_cannot_read_the_compartment(world):
    officer = actor_for(world.users["screening.officer"])
    leads.contribute(actor=officer, person_id=world.people["cn_shelter"].pk, lead=LEAD)
    with pytest.raises(NotFound):
        selectors.search(officer, "Ko Aung")


def test_no_consent_no_lead(world):
    with pytest.raises(ValidationFailed):
        leads.contribute(actor=actor_for(world.users["screening.officer"]), person_id=world.people["cn_shelter"].pk,
                         lead=leads.Lead(recruiter_name="Ko Aung", consent=False))
    assert not Entity.objects.exists()


@pytest.mark.parametrize("username", ["shelter.staff", "embassy.china", "outsider", "auditor"])
def test_roles_without_contribute_cannot_file(world, username):
    with pytest.raises(NotFound):
        leads.contribute(actor=actor_for(world.users[username]), person_id=world.people["cn_shelter"].pk, lead=LEAD)


def test_denied_officer_cannot_file_about_a_person_they_may_not_see(world):
    with pytest.raises(NotFound):
        leads.contribute(actor=actor_for(world.users["denied.officer"]), person_id=world.people["ke_denied"].pk,
                         lead=LEAD)
