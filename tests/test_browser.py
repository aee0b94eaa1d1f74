"""End to end in Debian's Chromium: log in, intake a person, find them by Chinese characters and by
pinyin, open their page, log out. Playwright drives /usr/bin/chromium (no browser download)."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def audit_flushable(transactional_db):
    """Transactional tests end with a flush, which the append-only audit triggers refuse: drop them at
    teardown (tests that need them install them again with install_append_only_guards)."""
    yield
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_no_delete")
        else:
            cur.execute("DROP TRIGGER IF EXISTS access_auditevent_append_only ON access_auditevent")


@pytest.fixture
def page(live_server, settings, audit_flushable):
    if CHROMIUM is None:
        if os.environ.get("CROSSING_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the live
    # server's fixtures here are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def test_intake_search_by_han_and_pinyin_then_logout(world, live_server, page, settings):
    # The browser cannot scan a QR code; two-factor is covered by the account tests.
    settings.CROSSING_REQUIRE_2FA = False
    from crossing.access.personas import DEMO_PASSWORD

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "case.officer")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{base}/")
    assert "Dashboard" in page.content()

    page.goto(f"{base}/people/new/")
    page.fill("#id_full_name", "CHEN JIANGUO")
    page.fill("#id_native_name", "陈建国")
    page.select_option("#id_sex", "male")
    page.fill("#id_date_of_birth", "1994")
    page.select_option("#id_nationality", "CHN")
    page.fill("#id_passport_number", "E55501234")
    page.click("#intake button[type=submit]")
    page.wait_for_url(f"{base}/people/*/")
    heading = page.inner_text("h1")
    assert "CHEN JIANGUO" in heading
    reference = heading.split()[-1]

    for query in ["陈建国", "chen jianguo", "jianguo"]:
        page.goto(f"{base}/people/")
        page.fill("#q", query)
        page.click("form.filters button[type=submit]")
        page.wait_for_selector(f"text={reference}")
        assert reference in page.inner_text("#results"), query

    page.click(f"text={reference}")
    page.wait_for_url(f"{base}/people/*/")
    assert "陈建国" in page.content()
    assert "E55501234" in page.content()  # case officers read documents

    page.click("text=Log out")
    page.wait_for_url(f"{base}/accounts/login/")
    page.goto(f"{base}/people/")
    assert "/accounts/login/" in page.url


def _log_in(page, base, username):
    from crossing.access.personas import DEMO_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{base}/")


def test_an_officer_merges_a_duplicate_and_undoes_the_merge(world, live_server, page, settings, tmp_path):
    settings.CROSSING_REQUIRE_2FA = False
    from crossing.access.cli_actor import cli_actor
    from crossing.linkage import services
    from crossing.linkage.tests.test_services import LIST_A, LIST_B, _csv, _duplicate
    from crossing.registry.drafts import NameDraft
    from crossing.registry.models import Person

    dup = _duplicate(world, names=[NameDraft("CHANG WEI")])
    services.dedupe_registry(actor=cli_actor(None))
    base = live_server.url
    _log_in(page, base, "case.officer")

    page.click("nav >> text=Duplicates")
    page.wait_for_selector("#candidates")
    page.click("#candidates tbody a")
    page.wait_for_selector("#evidence")
    assert "same name in one of its romanizations" in page.inner_text("#evidence")
    assert "CHANG WEI" in page.inner_text("#side-by-side") and "ZHANG WEI" in page.inner_text("#side-by-side")
    page.check(f"input[name=survivor][value='{world.people['cn_shelter'].pk}']")
    page.fill("#note", "same passport number")
    page.click("#decide button[value=same]")
    page.wait_for_selector("#merge")
    assert Person.objects.get(pk=dup.pk).merged_into_id == world.people["cn_shelter"].pk

    page.fill("#id_reason", "the embassy says these are two people")
    page.click("#unmerge button[type=submit]")
    page.wait_for_selector("text=Merge undone")
    assert Person.objects.get(pk=dup.pk).merged_into_id is None

    # Compare two lists from the browser: an army list in Latin letters, an embassy list in native script.
    a, b = tmp_path / "army.csv", tmp_path / "embassy.csv"
    a.write_bytes(_csv(LIST_A))
    b.write_bytes(_csv(LIST_B))
    page.click("nav >> text=Compare lists")
    page.set_input_files("#id_list_a", str(a))
    page.set_input_files("#id_list_b", str(b))
    page.click("#link-form button[name=compare]")
    page.wait_for_selector("#link-report")
    assert "3 on both lists" in page.inner_text("#link-report")
    assert page.inner_text("#only-a") == "A4" and page.inner_text("#only-b") == "B4"


def test_a_full_screening_interview_decision_review_and_the_investigators_view(world, live_server, page, settings):
    """Done means (issue 4): an officer interviews in the browser and sees the recommendation with its
    reasons, a supervisor confirms, an investigator sees the outcome and the hold but not the statement."""
    settings.CROSSING_REQUIRE_2FA = False
    from crossing.screening.models import Decision

    base = live_server.url
    person = world.people["cn_shelter"]
    _log_in(page, base, "screening.officer")
    page.click("nav >> text=Screening")
    page.wait_for_selector("#waiting")
    page.goto(f"{base}/people/{person.pk}/")
    page.click("#start-screening")
    page.wait_for_selector("#recommendation")
    with page.expect_response(lambda r: "/answers/" in r.url):
        page.select_option("#interpreter_qualified", "yes")
    assert page.get_attribute("#rec-value", "data-value") == "needs_full_interview"
    # Answer like an interview: each answer saves itself and the recommendation follows. One answer
    # at a time: the test server shares one database connection between its threads.
    def saved():
        return page.expect_response(lambda r: "/answers/" in r.url)

    for code in ["DR01", "DR08", "EX01", "EX04", "VD01", "VD02", "VD05"]:
        with saved():
            page.check(f"input[name=a-{code}-status][value=present]")
    with saved():
        page.fill("#a-DR01-note", "STATEMENT: promised a hotel job in Bangkok")
        page.press("#a-DR01-note", "Tab")
    with saved():
        page.select_option("#a-DR01-source", "self_report")
    page.wait_for_selector("#rec-value[data-value=presumed_victim]")
    assert "R2" in page.inner_text("#recommendation")
    assert "clause" in page.inner_text("#dimensions")
    page.reload()  # save and resume: everything is still there
    assert page.is_checked("input[name=a-EX04-status][value=present]")
    assert "hotel job" in page.input_value("#a-DR01-note")
    page.check("#decide input[value=refer_to_investigation]")
    page.fill("#reason", "Leads a team of callers; to be heard by the MDT")
    page.click("#decide button[type=submit]")
    page.wait_for_selector("#decision")
    assert page.get_attribute("#review-status", "data-value") == "pending"
    page.click("form.inline >> text=Log out")

    _log_in(page, base, "supervisor")
    page.goto(f"{base}/screening/")
    page.click("#reviews tbody a")
    page.wait_for_selector("#review-form")
    page.click("#review-form button[value=yes]")
    page.wait_for_selector("#review-status[data-value=confirmed]")
    assert Decision.objects.get().review_status == "confirmed"
    page.click("form.inline >> text=Log out")

    _log_in(page, base, "police.analyst")
    page.goto(f"{base}/people/{person.pk}/")
    assert page.is_visible("#hold-banner")
    assert page.get_attribute("#person-screening-outcome", "data-value") == "refer_to_investigation"
    assert "hotel job" not in page.content() and "Open the interview" not in page.content()
    response = page.goto(f"{base}/screening/{Decision.objects.get().screening_id}/")
    assert response.status == 404


def test_a_movement_officer_plans_departures_and_an_embassy_issues_documents(world, live_server, page, settings):
    """Issue 5 in Chromium: the embassy issues a travel document for its national only; the movement
    officer plans the next two weeks, reviews and publishes."""
    settings.CROSSING_REQUIRE_2FA = False
    settings.CROSSING_DEPARTURE_CAPACITY = [300] * 7
    from crossing.access.policy import actor_for
    from crossing.repatriation import services, workflow
    from crossing.repatriation.models import RepatriationCase
    from crossing.repatriation.tests.test_cases import _walk
    from crossing.repatriation.tests.test_planning import _bus

    iom = actor_for(world.users["iom.movement"])
    cn = services.open_case(actor=iom, person_id=world.people["cn_shelter"].pk)
    cn = _walk(world, cn, workflow.RISK_ASSESSED)
    services.request_travel_document(actor=iom, case_id=cn.pk)
    ke = services.open_case(actor=iom, person_id=world.people["ke_shelter"].pk)
    services.request_travel_document(actor=iom, case_id=ke.pk)
    movement = _bus(world, ["CHN"])
    base = live_server.url

    _log_in(page, base, "embassy.china")
    page.click("nav >> text=Travel documents")
    page.wait_for_selector("#requests")
    assert world.people["ke_shelter"].reference not in page.inner_text("#requests")
    page.check("input[name=selected]")
    page.fill("input[name^=number-]", "ETD-BROWSER-1")
    page.select_option("#action", "issue")
    page.fill("#expiry", "2099-12-31")
    page.click("#documents-form button[type=submit]")
    page.wait_for_selector("text=No open requests.")
    page.click("form.inline >> text=Log out")

    _walk(world, RepatriationCase.objects.get(pk=cn.pk), workflow.FIT_TO_TRAVEL)
    _log_in(page, base, "iom.movement")
    page.click("nav >> text=Departures")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#publish-form")
    assert movement.reference in page.content()
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#plan-status[data-value=published]")
    assert RepatriationCase.objects.get(pk=cn.pk).state == workflow.BOOKED
    # The movement leaves: the officer records who boarded on the movement's page.
    page.click("nav >> text=Movements")
    page.click(f"#movements >> text={movement.reference}")
    page.wait_for_selector("#passengers")
    assert world.people["cn_shelter"].display_name in page.inner_text("#passengers")
    page.click("#record-departure")
    page.wait_for_selector("#movement-status[data-value=departed]")
    assert RepatriationCase.objects.get(pk=cn.pk).state == workflow.DEPARTED
    page.click("form.inline >> text=Log out")

    # A shelter worker records the daily headcount; a difference from the registry is flagged.
    _log_in(page, base, "shelter.staff")
    page.click("nav >> text=Facilities")
    page.wait_for_selector("h1 >> text=Facilities")
    page.click(f"a[href$='/facilities/{world.facilities['shelter'].pk}/']")
    page.wait_for_selector("#headcount-form")
    assert page.title().startswith("Mae Sot Shelter")
    page.fill("#id_men", "0")
    page.fill("#id_women", "0")
    page.fill("#id_minors", "0")
    page.click("#headcount-form button[type=submit]")
    page.wait_for_selector("text=Headcount differs from the registry")


def test_an_analyst_follows_a_recruitment_chain_and_a_supervisor_bars_a_colluding_official(
        world, live_server, page, settings):
    """Issue 6 in Chromium: from a rescued worker up the recruitment chain to the organizer, the
    interactive graph, the conflict-of-interest alert, and the supervisor's approval of the deny list."""
    settings.CROSSING_REQUIRE_2FA = False
    from crossing.access.models import DenyEntry
    from crossing.network.demo import load_demo_network
    from crossing.network.models import ConflictAlert

    load_demo_network(seed=7, syndicates=1, workers=5)
    worker = world.people["cn_shelter"]
    alert = ConflictAlert.objects.get()
    base = live_server.url

    _log_in(page, base, "police.analyst")
    page.click("nav >> text=Network")
    page.wait_for_selector("#network-ranking")
    top = page.inner_text("#network-ranking")
    assert "controls" in top or "below in the command chain" in top
    page.goto(f"{base}/network/entities/worker-{worker.reference}/")
    chain = page.locator("#recruitment-chain ol.chain li")
    chain.first.wait_for()
    assert chain.count() >= 3 and "recruited" in page.inner_text("#recruitment-chain")
    organizer = chain.last.locator("a").first
    organizer_name = organizer.inner_text()
    organizer.click()
    page.wait_for_selector("#statements")
    assert organizer_name in page.inner_text("h1")
    page.click("#open-graph")
    page.wait_for_selector("#network-graph canvas")
    assert page.locator("#graph-nodes tbody tr").count() >= 2
    page.click("nav >> text=Conflicts")
    page.wait_for_selector(f"#alert-{alert.pk}")
    assert page.locator(f"#alert-{alert.pk} button.approve").count() == 0  # analysts read, supervisors decide
    page.context.clear_cookies()

    _log_in(page, base, "supervisor")
    page.click("nav >> text=Conflicts")
    page.wait_for_selector(f"#alert-{alert.pk} button.approve")
    page.click(f"#alert-{alert.pk} button.approve")
    page.wait_for_selector("text=No alerts.")
    barred = {str(pk) for pk in DenyEntry.objects.filter(user=world.users["denied.officer"], revoked_at__isnull=True)
              .values_list("person_id", flat=True)}
    assert alert.proposed_people and barred == set(alert.proposed_people)


def test_a_victim_reports_a_loss_and_an_analyst_follows_the_money_to_an_exchange(world, live_server, page, settings):
    """Issue 7 in Chromium: the public complaint page (no login), the analyst links the complaint to the
    bank's record of the payment, follows the money through the flow diagram to the exchange, and finds
    the organizer behind the top account of the backbone ranking."""
    settings.CROSSING_REQUIRE_2FA = False
    from crossing.access.policy import actor_for
    from crossing.flows.tests.conftest import load_laundering

    load_laundering(actor_for(world.users["police.analyst"]))
    base = live_server.url

    page.goto(f"{base}/report/")
    page.fill("#id_paid_on", "2025-02-01")
    page.fill("#id_amount", "1000")
    page.select_option("#id_currency", "USDT")
    page.fill("#id_paid_to", "100")
    page.fill("#id_bank_name", "KBANK")
    page.wait_for_timeout(3200)  # a person takes more than three seconds; a bot posting at once is refused
    page.click("#complaint-send")
    page.wait_for_selector("#complaint-reference")
    reference = page.inner_text("#complaint-reference").strip()
    assert reference.startswith("C-")

    _log_in(page, base, "police.analyst")
    page.click("nav a[href='/flows/complaints/']")
    page.wait_for_selector("#complaints")
    page.click(f"#complaints a:has-text('{reference}')")
    page.wait_for_selector("#complaint-candidates")
    page.click("#complaint-candidates button >> nth=0")
    page.wait_for_selector("#complaints")
    page.goto(f"{base}/flows/complaints/?status=linked")
    page.click(f"#complaints a:has-text('{reference}')")
    page.click("#complaint-trace")
    page.wait_for_selector("#flow-diagram")
    assert page.locator("#flow-diagram rect.cashout").count() >= 1
    assert "Exchange A" in page.inner_text("#trace-cashouts")
    assert "Boss One" in page.inner_text("#trace-accounts")
    page.click("nav >> text=Money flows")
    page.wait_for_selector("#flows-ranking")
    assert "Boss One" in page.inner_text("#flows-ranking tbody tr >> nth=0")
