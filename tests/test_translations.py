"""The interface catalogues (crossing/locale): complete in Simplified Chinese and Thai, up to date with
the source, and actually used by the pages.

After changing an interface string run ``scripts/messages.sh``, translate the new entries in both
``django.po`` files, and run this file again.
"""

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "crossing" / "locale"
LOCALES = ["zh_Hans", "th"]
# What scripts/messages.sh passes to makemessages; keep the two in step.
IGNORE = [".venv", "frontend", "benchmarks", "node_modules"]
GETTEXT_TOOLS = ["xgettext", "msguniq", "msgmerge", "msgattrib"]

# %(name)s-style (with any conversion flags, e.g. %(n)+d) and bare %s / %d; %% is a literal percent.
_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sd]")


def _po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def _catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(_po_path(locale)), encoding="utf-8")


def _placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(text.replace("%%", "")))


def _key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({places or 'no reference'})"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogue_parses_and_declares_its_language_charset_and_plural_forms(locale):
    po = _catalogue(locale)
    assert len(po) > 0, f"{_po_path(locale)} has no entries: run scripts/messages.sh"
    assert po.metadata.get("Language") == locale
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_untranslated_fuzzy_or_obsolete(locale):
    po = _catalogue(locale)
    untranslated = [_where(e) for e in po if not e.obsolete and "fuzzy" not in e.flags and not e.translated()]
    fuzzy = [_where(e) for e in po if "fuzzy" in e.flags]
    obsolete = [_where(e) for e in po if e.obsolete]
    assert not untranslated, f"{locale}: untranslated strings:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{locale}: fuzzy strings (check the translation, then remove the fuzzy flag):\n" + "\n".join(fuzzy)
    assert not obsolete, f"{locale}: obsolete strings (run scripts/messages.sh):\n" + "\n".join(obsolete)


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_entries_fill_exactly_the_one_plural_form_chinese_and_thai_have(locale):
    for entry in _catalogue(locale):
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, f"{locale}: {_where(entry)} should have msgstr[0] only"
            assert entry.msgstr_plural[0].strip(), f"{locale}: {_where(entry)} has an empty msgstr[0]"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_translation_keeps_the_placeholders_of_its_source_string(locale):
    problems = []
    for entry in _catalogue(locale):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            # With one plural form, msgstr[0] is used for every count, so it follows the plural msgid.
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            if translation and _placeholders(source) != _placeholders(translation):
                problems.append(f"{_where(entry)}: {sorted(_placeholders(source).elements())} "
                                f"!= {sorted(_placeholders(translation).elements())} in {translation!r}")
    assert not problems, f"{locale}: placeholders differ:\n" + "\n".join(problems)


def test_both_catalogues_cover_the_same_strings():
    zh, th = ({_key(e) for e in _catalogue(loc) if not e.obsolete} for loc in LOCALES)
    assert zh == th, f"only in zh_Hans: {sorted(zh - th)}; only in th: {sorted(th - zh)}"


def _copy_sources(dst: Path) -> None:
    """The files makemessages reads (py, html, txt), without the ignored trees, into dst; so the
    temporary files it writes next to each template land in tmp_path, not in the working tree."""

    def ignore(directory, names):
        skipped = []
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name.startswith(".") or name in {"__pycache__", "locale", "staticfiles", *IGNORE} or name.endswith(".egg-info"):
                    skipped.append(name)
            elif path.suffix not in {".py", ".html", ".txt"}:
                skipped.append(name)
        return skipped

    shutil.copytree(REPO, dst, ignore=ignore, symlinks=False)


def test_the_catalogues_contain_every_string_the_source_marks_for_translation(tmp_path, settings, monkeypatch):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        reason = f"GNU gettext is needed to extract strings ({', '.join(missing_tools)} not found): apt-get install gettext"
        if os.environ.get("CROSSING_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from django.core.management import call_command

    src = tmp_path / "src"
    _copy_sources(src)
    fresh_locale = src / "crossing" / "locale"
    shutil.copytree(LOCALE_DIR, fresh_locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [fresh_locale]
    monkeypatch.chdir(src)
    call_command("makemessages", locale=LOCALES, ignore_patterns=list(IGNORE), no_obsolete=True, verbosity=0)

    problems = []
    for locale in LOCALES:
        committed = {_key(e): e for e in _catalogue(locale) if not e.obsolete}
        extracted = polib.pofile(str(fresh_locale / locale / "LC_MESSAGES" / "django.po"), encoding="utf-8")
        for entry in extracted:
            if entry.obsolete:
                continue
            have = committed.get(_key(entry))
            if have is None:
                problems.append(f"{locale}: missing {_where(entry)}")
            elif not have.translated():
                problems.append(f"{locale}: not translated {_where(entry)}")
    assert not problems, ("the catalogues are behind the source: run scripts/messages.sh and translate:\n"
                          + "\n".join(problems))


@pytest.fixture
def compiled_catalogues(tmp_path, settings):
    """Compile the committed .po files into tmp_path, so the check does not depend on stale .mo files."""
    for locale in LOCALES:
        target = tmp_path / "locale" / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        _catalogue(locale).save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]


THAI = ("th", "เข้าสู่ระบบ", "ทุกหน้าที่คุณเปิดจะถูกบันทึกไว้ในบันทึกการตรวจสอบ")
CHINESE = ("zh-hans", "登录", "您打开的每个页面都会记入审计日志。")
ENGLISH = ("en", "Log in", "Every page you open is recorded in the audit log.")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("th", THAI),
        ("th-TH,th;q=0.9,en;q=0.5", THAI),
        ("zh-Hans", CHINESE),
        ("zh-CN,zh;q=0.9,en;q=0.5", CHINESE),
        ("en", ENGLISH),
    ],
)
def test_the_login_page_speaks_the_language_the_browser_asks_for(client, db, compiled_catalogues, accept_language,
                                                                 expected):
    html_lang, log_in, audit_notice = expected
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{html_lang}">' in html
    assert f"<h1>{log_in}</h1>" in html
    assert f'<button type="submit">{log_in}</button>' in html
    # "Log in" is also in Django's own catalogues; this sentence comes only from ours.
    assert audit_notice in html
