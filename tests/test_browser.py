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
