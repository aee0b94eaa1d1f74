"""The public complaint page (no account, rate-limited, bots refused, nothing of anyone else shown)
and the analysts' triage that turns a complaint into a traceable payment and network intelligence."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.flows import services, store
from crossing.flows.models import Complaint, ComplaintStatus, FlowAccount
from crossing.network.models import Entity
from crossing.web.views import complaints as view

URL = reverse("web:complaint-report")


def aged_token(seconds: float = 60) -> str:
    return signing.dumps({"t": datetime.now(UTC).timestamp() - seconds}, salt=view.TOKEN_SALT)


def form(**over) -> dict:
    data = {"paid_on": "2025-02-10", "amount": "52000", "currency": "THB", "paid_to_kind": "bank",
            "paid_to": "123-4-56789-0", "bank_name": "Kasikornbank", "scam_type": "investment",
            "scammer_contact": "+66 81 234 5678", "story": "", "contact": "", "website": "", "token": aged_token()}
    data.update(over)
    return data


def test_a_victim_reports_a_loss_without_an_account_and_sees_only_the_reference(db):
    client = Client()
    page = client.get(URL)
    assert page.status_code == 200 and b"complaint-form" in page.content
    response = client.post(URL, form())
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reference.encode() in response.content
    assert complaint.paid_to == "KBANK:1234567890" and complaint.amount == Decimal("52000")
    assert b"1234567890" not in response.content  # the page repeats nothing of the complaint
    event = AuditEvent.objects.get(event_type=AuditEventType.COMPLAINT_RECEIVED)
    assert event.extra == {} and complaint.client_key and "127.0.0.1" not in complaint.client_key


def test_another_complainant_never_sees_an_earlier_complaint(db):
    Client().post(URL, form(paid_to="999-9-99999-9"))
    first = Complaint.objects.get()
    other = Client()
    for page in (other.get(URL), other.post(URL, form(amount="10"))):
        assert first.reference.encode() not in page.content and b"9999999999" not in page.content


@pytest.mark.parametrize("over", [
    {"website": "http://spam.example"},  # the honeypot
    {"token": "forged"},
    {"token": 0.5},  # sent faster than a person types
    {"token": 3 * 3600},  # a page replayed hours later
])
def test_bots_are_refused_and_nothing_is_saved(db, over):
    if isinstance(over.get("token"), (int, float)):
        over = {"token": aged_token(seconds=over["token"])}
    response = Client().post(URL, form(**over))
    assert response.status_code == 400 and not Complaint.objects.exists()


@pytest.mark.parametrize("over, field", [
    ({"amount": "-5"}, "amount"), ({"amount": "abc"}, "amount"), ({"paid_on": "2099-01-01"}, "paid_on"),
    ({"paid_to": ""}, "paid_to"), ({"bank_name": ""}, "bank_name"), ({"currency": "XYZ"}, "currency"),
])
def test_bad_values_are_shown_on_their_field(db, over, field):
    response = Client().post(URL, form(**over))
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert field in response.context["form"].errors


def test_floods_are_refused_per_address_and_in_all(db, settings):
    settings.CROSSING_COMPLAINTS_PER_ADDRESS_HOUR = 2
    client = Client()
    assert [client.post(URL, form()).status_code for _ in range(3)] == [200, 200, 429]
    assert Complaint.objects.count() == 2
    settings.CROSSING_COMPLAINTS_PER_HOUR = 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(URL, form()).status_code == 429 and Complaint.objects.count() == 2


def _complaint(**over) -> Complaint:
    draft = services.ComplaintDraft(paid_at=datetime(2025, 2, 10, 12, tzinfo=UTC), amount=Decimal("52000"),
                                    currency="THB", paid_to_kind="bank", paid_to="123-4-56789-0",
                                    bank_name="Kasikornbank", scam_type="investment")
    for key, value in over.items():
        setattr(draft, key, value)
    return services.receive_complaint(draft)


def test_added_complaint_becomes_a_victim_payment_and_network_intelligence(world):
    analyst = actor_for(world.users["police.analyst"])
    complaint = _complaint()
    services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="add")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ADDED and complaint.txn_id == f"complaint:{complaint.reference}"
    con = store.connect()
    try:
        row = con.execute("SELECT src, dst, amount, currency FROM txns WHERE txn_id = ?", [complaint.txn_id]).fetchone()
    finally:
        con.close()
    assert row == (f"victim:{complaint.reference}", "KBANK:1234567890", 52000.0, "THB")
    assert FlowAccount.objects.get(account=f"victim:{complaint.reference}").kind == "victim"
    # the same key as the transaction files' account: the complaint meets the bank's records in the graph
    assert Entity.objects.filter(schema="BankAccount", identifier="account:KBANK:1234567890").exists()
    with pytest.raises(ValidationFailed):
        services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="dismiss", reason="x")


def test_a_complaint_links_only_to_a_stored_transaction_and_dismissal_needs_a_reason(world):
    analyst = actor_for(world.users["police.analyst"])
    complaint = _complaint()
    with pytest.raises(ValidationFailed):
        services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="link", txn_id="nope")
    with pytest.raises(ValidationFailed):
        services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="dismiss", reason=" ")
    services.decide_complaint(actor=analyst, complaint_id=complaint.pk, decision="dismiss", reason="duplicate")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.DISMISSED


@pytest.mark.parametrize("username", ["outsider", "prosecutor", "case.officer", "embassy.kenya", "supervisor"])
def test_only_the_analysts_triage_complaints(world, username):
    complaint = _complaint()
    with pytest.raises(NotFound):
        services.decide_complaint(actor=actor_for(world.users[username]), complaint_id=complaint.pk, decision="add")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.NEW
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username).exists()
