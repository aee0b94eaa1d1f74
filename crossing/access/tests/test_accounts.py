"""Accounts: lock-out, API tokens with TOTP, enforced two-factor, password policy, idle sessions,
break-glass with supervisor review, and deny-list entries that take effect at once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossing.access import services
from crossing.access.events import AuditEventType
from crossing.access.models import (
    AccountSecurity,
    Agency,
    Alert,
    ApiToken,
    AuditEvent,
    BreakGlassGrant,
    DenyEntry,
    Grant,
    Membership,
    Role,
)
from crossing.access.personas import DEMO_PASSWORD
from crossing.access.policy import actor_for
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed

T = AuditEventType
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 (a path, not a password)
REASON = "Medical emergency: the resident collapsed and the hospital needs his allergies now."


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the token endpoint's throttle counts in the cache, shared by every test in the process
    yield
    cache.clear()


def verified_client(username: str) -> Client:
    """A separate browser, logged in with its second factor verified (like the login fixture)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"


@pytest.fixture
def clerk(world):
    """A user whose role reaches no sensitive section (no two-factor needed)."""
    role = Role.objects.create(name="Headcount clerk")
    for resource, action in [("person", "view"), ("person", "list"), ("person_placement", "view"), ("facility", "view")]:
        Grant.objects.create(role=role, resource=resource, action=action, scope="all")
    user = world.users["outsider"].__class__.objects.create_user("clerk", password=DEMO_PASSWORD)
    Membership.objects.create(user=user, agency=world.agencies["shelter_op"], role=role)
    return user


def login_post(client, username, password=DEMO_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


# --- lock-out -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_against_the_right_password(world, client):
    user = world.users["case.officer"]
    for attempt in range(settings.CROSSING_LOCKOUT_THRESHOLD):
        response = login_post(client, "case.officer", f"wrong-{attempt}")
        assert response.status_code == 200 and not logged_in_as(client)
    assert AccountSecurity.objects.get(user=user).locked_until > timezone.now()

    response = login_post(client, "case.officer")  # the right password
    assert response.status_code == 200 and not logged_in_as(client)
    assert "locked" in response.content.decode()
    assert client.post(TOKEN_URL, {"username": "case.officer", "password": DEMO_PASSWORD}).status_code == 401

    locked = AuditEvent.objects.filter(event_type=T.ACCOUNT_LOCKED, subject_id=str(user.pk))
    assert locked.count() == 1
    assert AuditEvent.objects.filter(event_type=T.LOGIN_FAILED, subject_id=str(user.pk)).count() == 7
    alerts = Alert.objects.filter(kind=Alert.Kind.LOCKOUT)
    assert [a.agency_id for a in alerts] == [world.agencies["army"].pk]
    assert "case.officer" in alerts[0].message
    assert not AuditEvent.objects.filter(event_type=T.LOGIN, subject_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_the_lock_ends_after_its_time_and_a_good_login_resets_the_count(world, client):
    user = world.users["case.officer"]
    for attempt in range(settings.CROSSING_LOCKOUT_THRESHOLD - 1):
        login_post(client, "case.officer", f"wrong-{attempt}")
    assert login_post(client, "case.officer").status_code == 302  # four failures: not locked yet
    assert AccountSecurity.objects.get(user=user).failed_logins == 0
    client.logout()
    for attempt in range(settings.CROSSING_LOCKOUT_THRESHOLD):
        login_post(client, "case.officer", f"wrong-{attempt}")
    assert login_post(client, "case.officer").status_code == 200
    AccountSecurity.objects.filter(user=user).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login_post(client, "case.officer").status_code == 302 and logged_in_as(client) == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("target,expected", [
    ("/people/", "/people/"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
])
def test_login_only_redirects_to_this_site(world, client, target, expected):
    response = client.post(f"/accounts/login/?next={target}", {"username": "outsider", "password": DEMO_PASSWORD,
                                                                 "next": target})
    assert response.status_code == 302 and response["Location"] == expected


# --- API tokens -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_token_for_a_password_only_role_works_as_bearer(world, client, clerk):
    response = client.post(TOKEN_URL, {"username": "clerk", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("cx_")
    stored = ApiToken.objects.get(user=clerk)
    assert stored.key_hash != token and token not in stored.key_hash  # only the hash is stored
    api = Client()
    people = api.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert people.status_code == 200 and people.json()["count"] == len(world.people)
    assert AuditEvent.objects.filter(event_type=T.API_TOKEN_ISSUED, actor_username="clerk").exists()
    assert AuditEvent.objects.filter(event_type=T.LOGIN, actor_username="clerk", extra={"channel": "api"}).exists()
    assert api.get("/api/v1/people/").status_code in (401, 403)  # no token, no session
    assert api.get("/api/v1/people/", HTTP_AUTHORIZATION="Bearer cx_not-a-real-token").status_code == 401


@pytest.mark.django_db
def test_a_wrong_password_gets_401_and_counts_as_a_failed_login(world, client):
    response = client.post(TOKEN_URL, {"username": "case.officer", "password": "not the password"})
    assert response.status_code == 401
    assert AccountSecurity.objects.get(user=world.users["case.officer"]).failed_logins == 1
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_two_factor_role_needs_a_valid_totp_code_for_a_token(world, client):
    user = world.users["case.officer"]
    no_otp = client.post(TOKEN_URL, {"username": "case.officer", "password": DEMO_PASSWORD})
    assert no_otp.status_code == 401 and "two-factor" in no_otp.json()["message"]
    assert not ApiToken.objects.exists()

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    good = code_for(device)
    wrong = f"{(int(good) + 1) % 10 ** device.digits:06d}"
    bad = client.post(TOKEN_URL, {"username": "case.officer", "password": DEMO_PASSWORD, "otp": wrong})
    assert bad.status_code == 401 and "not valid" in bad.json()["message"]
    assert not ApiToken.objects.exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing ...
    device.throttle_reset()  # ... so skip the back-off instead of sleeping

    response = client.post(TOKEN_URL, {"username": "case.officer", "password": DEMO_PASSWORD, "otp": good})
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=user).two_factor_verified
    people = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert people.status_code == 200 and people.json()["count"] == len(world.people)
    detail = Client().get(f"/api/v1/people/{world.people['cn_shelter'].pk}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert detail.status_code == 200 and detail.json()["documents"][0]["number"] == "E12345678"

    replay = client.post(TOKEN_URL, {"username": "case.officer", "password": DEMO_PASSWORD, "otp": good})
    assert replay.status_code == 401  # a TOTP code works once


@pytest.mark.django_db
def test_a_token_issued_without_two_factor_does_not_open_a_two_factor_role(world):
    key, _ = services.api_token_issue(user=world.users["case.officer"], two_factor_verified=False)
    response = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("spoil", ["expired", "revoked", "user disabled"])
def test_expired_revoked_and_disabled_tokens_are_refused(world, clerk, spoil):
    key, token = services.api_token_issue(user=clerk, two_factor_verified=False)
    api = Client()
    assert api.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    if spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    else:
        clerk.is_active = False
        clerk.save()
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert "expired" in response.json()["message"]
    assert api.get(f"/api/v1/people/{world.people['cn_shelter'].pk}/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_a_fresh_token_expires_within_the_configured_hours(world, clerk):
    _, token = services.api_token_issue(user=clerk, two_factor_verified=False)
    assert token.expires_at <= timezone.now() + timedelta(hours=settings.CROSSING_API_TOKEN_HOURS)
    assert settings.CROSSING_API_TOKEN_HOURS <= 24


# --- enforced two-factor --------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("username", ["case.officer", "supervisor", "auditor", "embassy.china", "shelter.staff"])
def test_a_sensitive_role_logged_in_without_two_factor_is_sent_to_the_two_factor_page(world, client, username):
    # shelter.staff reads vulnerabilities, a sensitive section (crossing.access.permissions.SENSITIVE_RESOURCES).
    assert actor_for(world.users[username]).needs_two_factor
    assert login_post(client, username).status_code == 302
    for path in ("/", "/people/", f"/people/{world.people['cn_shelter'].pk}/", "/people/export.csv"):
        response = client.get(path)
        assert response.status_code == 302, (username, path)
        assert response["Location"].startswith("/accounts/two-factor/?next=")
    assert not AuditEvent.objects.filter(event_type=T.PERSON_VIEWED, actor_username=username).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["clerk", "outsider"])
def test_a_role_without_sensitive_grants_is_not_asked_for_two_factor(world, client, clerk, username):
    assert not actor_for(world.users.get(username, clerk)).needs_two_factor
    assert login_post(client, username).status_code == 302
    response = client.get("/people/")
    assert response.status_code == (200 if username == "clerk" else 404)


@pytest.mark.django_db
def test_verifying_a_totp_code_opens_the_pages(world, client):
    user = world.users["case.officer"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login_post(client, "case.officer")
    assert client.get("/people/").status_code == 302
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert client.post("/accounts/two-factor/?next=/people/", {"token": wrong}).status_code == 200
    assert client.get("/people/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # skip django-otp's back-off after a wrong code instead of sleeping
    response = client.post("/accounts/two-factor/?next=/people/", {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200


@pytest.mark.django_db
def test_a_first_visit_enrols_a_device_with_a_qr_code(world, client):
    login_post(client, "supervisor")
    response = client.get("/accounts/two-factor/")
    assert response.status_code == 200 and response.context["enrol"] and response.context["qr"].startswith("data:image/svg")
    pending = TOTPDevice.objects.get(user=world.users["supervisor"], confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": code_for(pending)})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.confirmed
    assert AuditEvent.objects.filter(event_type=T.TWO_FACTOR_ENROLLED, actor_username="supervisor").exists()
    assert client.get("/oversight/").status_code == 200


@pytest.mark.django_db
def test_a_password_only_session_cannot_read_sensitive_data_through_the_api(world, client):
    assert login_post(client, "case.officer").status_code == 302
    assert client.get("/people/").status_code == 302  # the pages do ask for the second factor
    response = client.get(f"/api/v1/people/{world.people['cn_shelter'].pk}/")
    assert response.status_code in (401, 403), response.json()


# --- passwords and sessions -------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short1!", "Abc12345678", "12345678901234", "password1234"])
def test_the_password_policy_rejects_weak_passwords(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.users["case.officer"])


@pytest.mark.django_db
def test_the_password_policy_rejects_a_password_like_the_username_and_accepts_a_passphrase(world):
    with pytest.raises(ValidationError):
        validate_password("screening.officer1", user=world.users["screening.officer"])
    validate_password("violet tractor harbour 42", user=world.users["case.officer"])


def test_sessions_end_after_at_most_an_hour_idle():
    assert 0 < settings.SESSION_COOKIE_AGE <= 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_each_request_extends_the_session_and_an_idle_session_ends(world, login):
    client = login("case.officer")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/people/").status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # refreshed by the request
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))  # idle too long
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- break-glass ----------------------------------------------------------------------------------

def open_glass(client, person, reason=REASON):
    return client.post("/emergency-access/", {"reference": person.reference, "reason": reason})


@pytest.mark.django_db
def test_break_glass_opens_a_record_outside_the_scope_with_an_audited_alerted_reason(world, login):
    person = world.people["cn_camp"]  # in the army camp; the social worker works at the shelter
    client = login("social.worker")
    assert client.get(f"/people/{person.pk}/").status_code == 404
    response = open_glass(client, person)
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    page = client.get(f"/people/{person.pk}/")
    assert page.status_code == 200 and page.context["v"].break_glass
    assert page.context["v"].sections >= {"person_contacts", "person_documents"}
    assert "E87654321" in page.content.decode()
    assert person.reference in client.get("/people/").content.decode()

    grant = BreakGlassGrant.objects.get(user=world.users["social.worker"], person=person)
    assert grant.reason == REASON and grant.review == "pending"
    assert grant.expires_at <= timezone.now() + timedelta(hours=settings.CROSSING_BREAK_GLASS_HOURS)
    event = AuditEvent.objects.get(event_type=T.BREAK_GLASS_GRANTED, person_id=person.pk)
    assert event.actor_username == "social.worker" and event.extra["reason"] == REASON
    assert AuditEvent.objects.filter(event_type=T.PERSON_VIEWED, person_id=person.pk, actor_username="social.worker",
                                     extra__break_glass=True).exists()
    alerts = Alert.objects.filter(kind=Alert.Kind.BREAK_GLASS, break_glass=grant)
    assert alerts.exists() and all(person.reference in a.message and "social.worker" in a.message for a in alerts)
    assert {a.agency_id for a in alerts} >= {person.owner_agency_id}
    # Only that one person opened.
    assert client.get(f"/people/{world.people['et_camp'].pk}/").status_code == 404


@pytest.mark.django_db
def test_a_role_without_break_glass_cannot_use_it(world, login):
    client = login("shelter.staff")
    assert client.get("/emergency-access/").status_code == 404
    assert open_glass(client, world.people["cn_camp"]).status_code == 404
    with pytest.raises(PermissionDeniedError):
        services.break_glass_open(actor=actor_for(world.users["shelter.staff"]), reference=world.people["cn_camp"].reference,
                                  reason=REASON)
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "need it", "    urgent!!     "])
def test_break_glass_needs_a_real_reason(world, login, reason):
    client = login("social.worker")
    response = open_glass(client, world.people["cn_camp"], reason)
    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(ValidationFailed, match="at least 15 characters"):
        services.break_glass_open(actor=actor_for(world.users["social.worker"]), reference=world.people["cn_camp"].reference,
                                  reason=reason)
    assert not BreakGlassGrant.objects.exists() and not Alert.objects.exists()
    assert client.get(f"/people/{world.people['cn_camp'].pk}/").status_code == 404


@pytest.mark.django_db
def test_break_glass_cannot_open_a_deny_listed_person(world, login):
    person = world.people["ke_denied"]
    client = login("denied.officer")
    assert actor_for(world.users["denied.officer"]).can("break_glass", "use")
    response = open_glass(client, person)
    assert response.status_code == 200
    assert "No record with that reference is available" in response.content.decode()
    with pytest.raises(NotFound):
        services.break_glass_open(actor=actor_for(world.users["denied.officer"]), reference=person.reference, reason=REASON)
    assert not BreakGlassGrant.objects.exists()
    assert client.get(f"/people/{person.pk}/").status_code == 404
    # Even a grant written straight into the table does not beat the deny list.
    BreakGlassGrant.objects.create(user=world.users["denied.officer"], person=person, reason=REASON,
                                   expires_at=timezone.now() + timedelta(hours=1))
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_supervisor_reviews_break_glass_and_not_justified_ends_access(world):
    person = world.people["cn_camp"]
    worker = verified_client("social.worker")
    supervisor = verified_client("supervisor")
    open_glass(worker, person)
    open_glass(worker, world.people["et_camp"])
    first = BreakGlassGrant.objects.get(person=person)
    second = BreakGlassGrant.objects.get(person=world.people["et_camp"])

    page = supervisor.get("/oversight/")
    assert page.status_code == 200 and {g.pk for g in page.context["grants"]} == {first.pk, second.pk}
    assert worker.post(f"/oversight/break-glass/{first.pk}/review/", {"justified": "1"}).status_code == 404

    assert supervisor.post(f"/oversight/break-glass/{second.pk}/review/", {"justified": "1"}).status_code == 302
    second.refresh_from_db()
    assert (second.review, second.reviewed_by_id) == ("justified", world.users["supervisor"].pk)
    assert worker.get(f"/people/{world.people['et_camp'].pk}/").status_code == 200  # justified access continues

    assert supervisor.post(f"/oversight/break-glass/{first.pk}/review/", {"justified": "0"}).status_code == 302
    first.refresh_from_db()
    assert first.review == "not_justified" and first.expires_at <= timezone.now()
    assert worker.get(f"/people/{person.pk}/").status_code == 404  # access ends at once
    assert person.reference not in worker.get("/people/").content.decode()
    assert not Alert.objects.filter(break_glass=first, acknowledged_at__isnull=True).exists()
    reviews = AuditEvent.objects.filter(event_type=T.BREAK_GLASS_REVIEWED, actor_username="supervisor")
    assert {(e.person_id, e.extra["review"]) for e in reviews} == {(person.pk, "not_justified"),
                                                                     (world.people["et_camp"].pk, "justified")}


@pytest.mark.django_db
def test_the_supervisor_is_alerted_to_break_glass_and_lock_outs(world, login, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves only after the commit
        open_glass(verified_client("social.worker"), world.people["cn_camp"])
    for attempt in range(settings.CROSSING_LOCKOUT_THRESHOLD):
        login_post(Client(), "case.officer", f"wrong-{attempt}")
    assert Alert.objects.filter(kind=Alert.Kind.BREAK_GLASS).exists() and Alert.objects.filter(kind=Alert.Kind.LOCKOUT).exists()
    alerts = login("supervisor").get("/oversight/").context["alerts"]
    assert {a.kind for a in alerts} == {Alert.Kind.BREAK_GLASS, Alert.Kind.LOCKOUT}
    assert any("supervisor@demo.invalid" in m.to for m in mail.outbox)


# --- the deny list ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_deny_entry_added_on_the_oversight_page_hides_the_person_at_once(world):
    person = world.people["cn_shelter"]
    officer = verified_client("case.officer")  # already working, session open
    assert officer.get(f"/people/{person.pk}/").status_code == 200

    supervisor = verified_client("supervisor")
    response = supervisor.post("/oversight/", {"reference": person.reference.lower(), "username": "case.officer",
                                               "agency": "", "reason": "Officer is related to the person"})
    assert response.status_code == 302
    entry = DenyEntry.objects.get(person=person, user=world.users["case.officer"])
    assert entry.created_by_id == world.users["supervisor"].pk
    assert AuditEvent.objects.filter(event_type=T.DENY_ADDED, person_id=person.pk, actor_username="supervisor").exists()

    assert officer.get(f"/people/{person.pk}/").status_code == 404
    assert officer.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert person.reference not in officer.get("/people/").content.decode()
    assert person.reference not in officer.get("/people/", {"q": "zhang wei"}).content.decode()
    assert open_glass(officer, person).status_code == 200 and not BreakGlassGrant.objects.exists()
    # Colleagues are not affected.
    assert verified_client("screening.officer").get(f"/people/{person.pk}/").status_code == 200

    assert supervisor.post(f"/oversight/deny/{entry.pk}/revoke/").status_code == 302
    assert officer.get(f"/people/{person.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_deny_entry_for_an_agency_hides_the_person_from_all_its_members(world):
    person = world.people["ke_shelter"]
    supervisor = verified_client("supervisor")
    response = supervisor.post("/oversight/", {"reference": person.reference, "username": "",
                                               "agency": str(world.agencies["embassy_ke"].pk), "reason": "Conflict"})
    assert response.status_code == 302
    assert verified_client("embassy.kenya").get(f"/people/{person.pk}/").status_code == 404
    assert verified_client("case.officer").get(f"/people/{person.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_deny_form_names_its_mistakes_and_only_managers_may_use_it(world):
    supervisor = verified_client("supervisor")
    response = supervisor.post("/oversight/", {"reference": "CX-NOPE", "username": "case.officer", "reason": "x"})
    assert response.status_code == 200 and "reference" in response.context["deny_form"].errors
    response = supervisor.post("/oversight/", {"reference": world.people["cn_shelter"].reference, "username": "nobody",
                                               "reason": "x"})
    assert "username" in response.context["deny_form"].errors
    response = supervisor.post("/oversight/", {"reference": world.people["cn_shelter"].reference, "username": "",
                                               "agency": "", "reason": "x"})
    assert response.context["deny_form"].non_field_errors()
    assert not DenyEntry.objects.exclude(user=world.users["denied.officer"]).exists()
    for username in ("case.officer", "social.worker"):
        client = verified_client(username)
        assert client.get("/oversight/").status_code == 404
        assert client.post("/oversight/", {"reference": world.people["cn_shelter"].reference, "username": "case.officer",
                                           "reason": "x"}).status_code == 404
    assert not DenyEntry.objects.exclude(user=world.users["denied.officer"]).exists()
    assert Agency.objects.exists()
