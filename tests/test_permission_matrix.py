"""Each persona sees exactly the people it should, through every path: list, search, detail, counts,
exports and the API. The outsider, another country's embassy and a denied user see nothing more."""

import pytest
from django.urls import reverse

ALL = {"cn_shelter", "cn_camp", "ke_shelter", "et_camp", "ke_denied", "referred"}
SHELTER = {"cn_shelter", "ke_shelter", "ke_denied"}

VISIBLE = {
    "admin": set(),
    "case.officer": ALL,
    "screening.officer": ALL,
    "social.worker": SHELTER,
    "shelter.staff": SHELTER,
    "embassy.china": {"cn_shelter", "cn_camp", "referred"},
    "embassy.kenya": {"ke_shelter", "ke_denied"},
    "iom.movement": ALL,
    "police.analyst": ALL,
    "prosecutor": {"referred"},
    "supervisor": ALL,
    "auditor": set(),
    "denied.officer": ALL - {"ke_denied"},
    "outsider": set(),
}

# Sensitive sections each persona reads on a person it can see (cn_shelter or its own visible one).
SECTIONS = {
    "case.officer": {"person_documents", "person_vulnerabilities", "person_placement", "person_access_log"},
    "screening.officer": {"person_documents", "person_contacts", "person_vulnerabilities", "person_placement",
                          "screening_statement"},
    "social.worker": {"person_contacts", "person_vulnerabilities", "person_placement", "screening_statement"},
    "shelter.staff": {"person_vulnerabilities", "person_placement"},
    "embassy.china": {"person_documents", "person_contacts", "person_placement"},
    "iom.movement": {"person_documents", "person_vulnerabilities", "person_placement"},
    "police.analyst": {"person_documents"},
    "supervisor": {"person_documents", "person_contacts", "person_vulnerabilities", "person_placement", "person_access_log",
                   "screening_statement"},
}
# Police analysts and prosecutors never read screening statements (screening spec NP-1).


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_each_persona_sees_exactly_its_people_on_every_path(world, login, username):
    client = login(username)
    expected = VISIBLE[username]
    hidden = ALL - expected

    # List page (or 404 for roles that may not list).
    response = client.get(reverse("web:person-list"))
    if expected or username in {"denied.officer"}:
        assert response.status_code == 200
        body = response.content.decode()
        for key in expected:
            assert world.people[key].reference in body, key
        for key in hidden:
            assert world.people[key].reference not in body, key
    else:
        assert response.status_code == 404

    # Detail pages: visible answer 200, everything else the same 404 as a missing record.
    for key in ALL:
        status = client.get(reverse("web:person-detail", args=[world.people[key].pk])).status_code
        assert status == (200 if key in expected else 404), (username, key, status)

    # Search by a name in native script and by a document number never reveals hidden people.
    # A document number finds its holder only for those who may read documents.
    from crossing.access.policy import actor_for

    reads_documents = actor_for(world.users[username]).can("person_documents", "view")
    for key, query in [("cn_shelter", "张伟"), ("cn_shelter", "zhang wei"), ("ke_denied", "otieno"), ("ke_shelter", "AK1234567")]:
        response = client.get(reverse("web:person-list"), {"q": query})
        if response.status_code == 200:
            found = world.people[key].reference in response.content.decode()
            findable = key in expected and (reads_documents or query != "AK1234567")
            assert found == findable, (username, query)

    # API list and detail through the same access layer.
    api = client.get("/api/v1/people/").json()
    assert {r["reference"] for r in api["results"]} == {world.people[k].reference for k in expected}
    assert api["count"] == len(expected)
    for key in ALL:
        status = client.get(f"/api/v1/people/{world.people[key].pk}/").status_code
        assert status == (200 if key in expected else 404), (username, key)

    # Counts on the dashboard are over visible people only.
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    if "dashboard-data" in response.content.decode():
        assert response.context["data"]["total"] == len(expected)


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(SECTIONS))
def test_sensitive_sections_follow_the_grants(world, login, username):
    client = login(username)
    key = "cn_shelter"  # every persona in SECTIONS may see this person
    response = client.get(f"/api/v1/people/{world.people[key].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data["sections"]) == SECTIONS[username]
    assert (data["documents"] is not None) == ("person_documents" in data["sections"])
    assert (data["contacts"] is not None) == ("person_contacts" in data["sections"])
    assert (data["vulnerabilities"] is not None) == ("person_vulnerabilities" in data["sections"])
    page = client.get(reverse("web:person-detail", args=[world.people[key].pk])).content.decode()
    assert ("Relative of" in page) == ("person_contacts" in data["sections"])
    assert ("E12345678" in page) == ("person_documents" in data["sections"])


@pytest.mark.django_db
@pytest.mark.parametrize("username,exported", [
    ("embassy.kenya", {"ke_shelter", "ke_denied"}),
    ("embassy.china", {"cn_shelter", "cn_camp", "referred"}),
    ("iom.movement", ALL),
    ("case.officer", ALL - {"referred"}),  # export is scoped to the officer's own agency
])
def test_exports_contain_only_what_the_persona_may_export(world, login, username, exported):
    client = login(username)
    response = client.get(reverse("web:person-export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    for key in ALL:
        assert (world.people[key].reference in body) == (key in exported), key


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["outsider", "auditor", "admin", "shelter.staff", "police.analyst"])
def test_roles_without_export_cannot_export(world, login, username):
    assert login(username).get(reverse("web:person-export")).status_code == 404


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_and_the_api_refuses_them(world, client):
    assert client.get(reverse("web:person-list")).status_code == 302
    assert client.get(f"/api/v1/people/{world.people['cn_shelter'].pk}/").status_code in (401, 403)
    assert client.get("/api/v1/people/").status_code in (401, 403)


@pytest.mark.django_db
def test_auditor_reads_the_audit_log_but_no_case_content(world, login):
    client = login("auditor")
    assert client.get(reverse("web:audit")).status_code == 200
    assert client.get(reverse("web:person-list")).status_code == 404
    assert "ZHANG" not in client.get(reverse("web:audit")).content.decode()
    for name in ["case.officer", "embassy.china", "outsider"]:
        assert login(name).get(reverse("web:audit")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path,status", [
    ("/", 200), ("/people/", 404), ("/people/new/", 404), ("/people/import/", 404), ("/facilities/", 404),
    ("/compounds/", 404), ("/audit/", 404), ("/oversight/", 404), ("/emergency-access/", 404),
    ("/people/export.csv", 404), ("/audit/export.csv", 404), ("/api/v1/compounds/", 200), ("/api/v1/facilities/", 200),
    ("/api/v1/people/", 200),
])
def test_the_outsider_sees_no_data_anywhere(world, login, path, status):
    response = login("outsider").get(path)
    assert response.status_code == status
    if path.startswith("/api/"):
        data = response.json()
        assert data == [] or data.get("count") == 0
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for person in world.people.values():
        assert person.reference.encode() not in body
    assert b"KK Park" not in body
    assert b"Mae Sot Shelter" not in body
