"""CSV source adapters: contact lists, chat exports and complaints become FtM entities, all or nothing."""

import csv
import io

import pytest

from analytics.network.vocabulary import EdgeKind
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, ValidationFailed
from crossing.network import identifiers, sources
from crossing.network.models import Edge, Entity, SourceBatch, Statement


def table(header, *rows, bom=True) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


CONTACT_HEADER = ["device_owner", "contact_name", "phone", "handle", "service", "device_ref"]
CONTACTS = [["Boss Li", "Recruiter A", "081 234 5678", "@RecA", "Telegram", "DEV-7"],
            ["Boss Li", "Accountant", "+95 9 250 123 456", "", "", "DEV-7"]]
CHAT_HEADER = ["timestamp", "sender", "sender_handle", "recipient", "recipient_handle", "service", "text"]
CHATS = [["2025-03-01T14:05:00+07:00", "Recruiter A", "@reca", "Boss Li", "@bossli", "telegram", "two arrive tomorrow"],
         ["2025-03-01 15:00", "Boss Li", "@bossli", "Recruiter A", "@reca", "telegram", "ok"]]
COMPLAINT_HEADER = ["complaint_ref", "date", "amount", "currency", "paid_to_kind", "paid_to", "bank_name", "scam_type",
                    "contact_phone"]
COMPLAINTS = [["C-001", "2025-02-10", "50,000", "THB", "bank", "123-4-56789-0", "KBank", "investment", "081 234 5678"],
              ["C-002", "2025-02-11", "1200", "USDT", "wallet", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "", "romance", ""],
              ["C-003", "2025-02-12", "3000", "thb", "phone", "0899999999", "", "job offer", ""]]


@pytest.fixture
def analyst(world):
    return actor_for(world.users["police.analyst"])


def run(actor, fmt, data, name="file.csv", **kwargs):
    return sources.import_csv(actor=actor, fmt=fmt, data=data, name=name, **kwargs)


def errors_of(exc) -> list[tuple]:
    return [(e["row"], e["field"]) for e in exc.value.extra["errors"]]


def test_contact_list_gives_owner_contacts_accounts_and_contact_links(analyst, world):
    report = run(analyst, "contacts", table(CONTACT_HEADER, *CONTACTS), name="dev7-contacts.csv", confidence=0.7)
    owner = Entity.objects.get(schema="Person", caption="Boss Li")
    contact = Entity.objects.get(pk=identifiers.entity_id("contact", "+66812345678"))
    assert contact.properties == {"name": ["Recruiter A"], "phone": ["+66812345678"]}
    account = Entity.objects.get(schema="UserAccount")
    assert account.properties["owner"] == [contact.pk] and account.identifier == "handle:telegram:@reca"
    assert account.pk == identifiers.entity_id("account", "telegram:@reca")
    edges = set(Edge.objects.values_list("source", "target", "kind"))
    assert (owner.pk, contact.pk, EdgeKind.CONTACT) in edges
    assert (contact.pk, "phone:+66812345678", EdgeKind.PHONE) in edges
    assert (contact.pk, account.pk, EdgeKind.HOLDER) in edges
    assert report.entities == 6  # owner, 2 contacts, 1 account, 2 links
    statement = Statement.objects.filter(entity=contact).first()
    assert statement.source == "device_contacts:dev7-contacts.csv" and statement.source_kind == "device_contacts"
    assert statement.confidence == 0.7 and statement.recorded_by == world.users["police.analyst"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.NETWORK_IMPORTED, subject_id=contact.pk).exists()


def test_device_owner_may_be_an_existing_entity(analyst):
    run(analyst, "contacts", table(CONTACT_HEADER, *CONTACTS))
    owner = Entity.objects.get(caption="Boss Li")
    run(analyst, "contacts", table(CONTACT_HEADER, [owner.pk, "Driver", "+66 89 111 2222", "", "", "DEV-8"]))
    assert Entity.objects.filter(caption="Boss Li").count() == 1
    driver = identifiers.entity_id("contact", "+66891112222")
    assert Edge.objects.filter(source=owner.pk, target=driver, kind=EdgeKind.CONTACT).exists()


def test_a_repeat_is_a_no_op_and_an_edited_file_adds_only_what_changed(analyst):
    data = table(CONTACT_HEADER, *CONTACTS)
    first = run(analyst, "contacts", data)
    count = Statement.objects.count()
    again = run(analyst, "contacts", data)
    assert again.already_imported and Statement.objects.count() == count and SourceBatch.objects.count() == 1
    edited = run(analyst, "contacts", table(CONTACT_HEADER, *CONTACTS, ["Boss Li", "Guard", "+66 89 333 4444", "", "",
                                                                         "DEV-7"]))
    assert not edited.already_imported and SourceBatch.objects.count() == 2
    assert edited.new_statements == 6  # the guard's name and phone; the new link's subject, object, role, description
    assert edited.statements - edited.new_statements == first.new_statements


@pytest.mark.parametrize("fmt, header, rows, missing", [
    ("contacts", CONTACT_HEADER, CONTACTS, "phone"),
    ("chat", CHAT_HEADER, CHATS, "timestamp"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, "paid_to_kind"),
])
def test_a_missing_column_is_named_and_nothing_is_written(analyst, fmt, header, rows, missing):
    keep = [i for i, h in enumerate(header) if h != missing]
    data = table([header[i] for i in keep], *[[r[i] for i in keep] for r in rows])
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, fmt, data)
    assert errors_of(exc) == [(1, missing)] and "missing column" in exc.value.extra["errors"][0]["message"]
    assert not Entity.objects.exists() and not SourceBatch.objects.exists()


@pytest.mark.parametrize("fmt, header, rows, bad_row, column, value", [
    ("contacts", CONTACT_HEADER, CONTACTS, 1, "phone", "12"),
    ("contacts", CONTACT_HEADER, CONTACTS, 1, "service", "myspace"),
    ("contacts", CONTACT_HEADER, CONTACTS, 0, "contact_name", ""),
    ("chat", CHAT_HEADER, CHATS, 1, "timestamp", "yesterday"),
    ("chat", CHAT_HEADER, CHATS, 0, "text", ""),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 1, "amount", "a lot"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 2, "paid_to_kind", "cash"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 0, "bank_name", ""),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 0, "currency", "baht"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 1, "paid_to", "not-a-wallet"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 2, "date", "10/02/2025"),
    ("complaints", COMPLAINT_HEADER, COMPLAINTS, 0, "contact_phone", "call me"),
])
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(analyst, fmt, header, rows, bad_row, column,
                                                                     value):
    rows = [list(r) for r in rows]
    rows[bad_row][header.index(column)] = value
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, fmt, table(header, *rows))
    assert errors_of(exc) == [(bad_row + 2, column)]  # the header is row 1
    assert not Entity.objects.exists() and not Statement.objects.exists() and not SourceBatch.objects.exists()


def test_every_bad_row_is_reported_at_once(analyst):
    rows = [list(r) for r in CONTACTS] + [["Boss Li", "X", "nope", "", "", ""]]
    rows[0][2] = "12"
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, "contacts", table(CONTACT_HEADER, *rows))
    assert errors_of(exc) == [(2, "phone"), (4, "phone")]


def test_not_utf8_and_empty_files_are_refused(analyst):
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, "contacts", "device_owner,contact_name,phone\nB\xf6ss,A,0812345678\n".encode("latin-1"))
    assert "UTF-8" in exc.value.extra["errors"][0]["message"]
    with pytest.raises(ValidationFailed):
        run(analyst, "contacts", table(CONTACT_HEADER))


def test_mapping_reads_a_partners_headers(analyst):
    header = ["Owner", "Saved as", "Mobile No.", "Handle", "App", "Exhibit"]
    mapping = {"device_owner": "owner", "contact_name": "Saved as", "phone": "Mobile No.", "handle": "Handle",
               "service": "App", "device_ref": "Exhibit"}
    run(analyst, "contacts", table(header, *CONTACTS), mapping=mapping)
    assert Entity.objects.filter(pk=identifiers.entity_id("contact", "+959250123456")).exists()
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, "contacts", table(header, *CONTACTS), mapping={**mapping, "phone": "Tel"})
    assert errors_of(exc) == [(1, "phone")] and "'Tel'" in exc.value.extra["errors"][0]["message"]
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, "contacts", table(header, *CONTACTS), mapping={**mapping, "colour": "x"})
    assert errors_of(exc) == [(None, "colour")]


def test_chat_export_gives_messages_between_people_and_their_accounts(analyst):
    run(analyst, "contacts", table(CONTACT_HEADER, *CONTACTS))
    run(analyst, "chat", table(CHAT_HEADER, *CHATS), name="dev7-chats.csv")
    messages = Entity.objects.filter(schema="Message").order_by("caption")
    assert messages.count() == 2
    first = next(m for m in messages if m.properties["bodyText"] == ["two arrive tomorrow"])
    assert first.properties["date"] == ["2025-03-01T07:05:00"]  # +07:00 stored as UTC
    reca = identifiers.entity_id("account", "telegram:@reca")
    assert first.properties["senderAccount"] == [reca]  # the account of the contact list, met on the handle
    sender = Entity.objects.get(pk=first.properties["sender"][0])
    assert sender.schema == "Person" and sender.caption == "Recruiter A"
    assert Entity.objects.filter(schema="UserAccount").count() == 2
    assert Edge.objects.filter(source=sender.pk, target=first.properties["recipients"][0], kind=EdgeKind.MESSAGE,
                               date="2025-03-01T07:05:00").exists()


def test_chat_participant_without_name_or_handle_is_refused(analyst):
    rows = [list(r) for r in CHATS]
    rows[1][3] = rows[1][4] = ""
    with pytest.raises(ValidationFailed) as exc:
        run(analyst, "chat", table(CHAT_HEADER, *rows))
    assert errors_of(exc) == [(3, "recipient")]


def test_complaints_give_payments_without_the_victims_personal_data(analyst):
    run(analyst, "complaints", table(COMPLAINT_HEADER, *COMPLAINTS), name="complaints-feb.csv")
    complainant = Entity.objects.get(pk=identifiers.entity_id("complainant", "C-001"))
    assert complainant.properties == {"name": ["Complainant C-001"]}
    payment = Entity.objects.get(schema="Payment")
    account = Entity.objects.get(schema="BankAccount")
    assert account.properties == {"accountNumber": ["123-4-56789-0"], "bankName": ["KBank"]}
    assert payment.properties["payer"] == [complainant.pk] and payment.properties["beneficiaryAccount"] == [account.pk]
    assert payment.properties["amount"] == ["50000"] and payment.properties["currency"] == ["THB"]
    assert Edge.objects.get(source=complainant.pk, target=account.pk).amount == 50000
    wallet = Entity.objects.get(schema="CryptoWallet")
    assert wallet.identifier == "wallet:TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
    paid_wallet = Edge.objects.get(target=wallet.pk)
    assert paid_wallet.kind == EdgeKind.PAYMENT and paid_wallet.date == "2025-02-11"
    scammer = Entity.objects.get(pk=identifiers.entity_id("scammer-phone", "+66899999999"))
    assert scammer.caption == "Scammer behind +66899999999"
    assert Edge.objects.filter(target=scammer.pk, kind=EdgeKind.PAYMENT).exists()
    caller = identifiers.entity_id("scammer-phone", "+66812345678")
    assert Edge.objects.filter(source=caller, target="phone:+66812345678", kind=EdgeKind.PHONE).exists()


def test_complaint_and_contact_list_meet_on_the_phone(analyst):
    run(analyst, "contacts", table(CONTACT_HEADER, *CONTACTS))
    run(analyst, "complaints", table(COMPLAINT_HEADER, *COMPLAINTS))
    holders = set(Edge.objects.filter(target="phone:+66812345678").values_list("source", flat=True))
    assert holders == {identifiers.entity_id("contact", "+66812345678"),
                       identifiers.entity_id("scammer-phone", "+66812345678")}


@pytest.mark.parametrize("username", ["outsider", "shelter.staff", "prosecutor"])
def test_import_without_the_grant_is_refused_and_audited(world, username):
    actor = actor_for(world.users[username])
    with pytest.raises(NotFound):
        run(actor, "contacts", table(CONTACT_HEADER, ["", "", "", "", "", ""]))  # refused before the file is read
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_id=world.users[username].pk,
                                     extra={"action": "network.import"}).exists()
    assert not Entity.objects.exists()


def test_parse_mapping_names_a_malformed_pair():
    assert sources.parse_mapping(["phone=Mobile No.", " handle = LINE ID "]) == {"phone": "Mobile No.",
                                                                                "handle": "LINE ID"}
    with pytest.raises(ValueError, match="phone"):
        sources.parse_mapping(["phone"])
