"""The intake XLSForm: pyxform converts it (and ODK Validate accepts it when Java is here, offline), every
text is in English, Chinese, Thai and Burmese in their own scripts, the choice lists come from the
database, the questions map onto the canonical import columns, and the version follows the content."""

import io
import re
import shutil

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from crossing.intake import labels
from crossing.intake.form import DOB_QUESTIONS, FORM_ID, QUESTION_NAMES, SEX_CHOICES, TEXT_ANSWERS
from crossing.intake.xlsform import build_form
from crossing.registry.importing.columns import CANONICAL_COLUMNS
from crossing.registry.models import Compound, CompoundAlias

TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SCRIPTS = {"Chinese (zh)": re.compile(r"[\u4e00-\u9fff]"), "Thai (th)": re.compile(r"[\u0e00-\u0e7f]"),
           "Burmese (my)": re.compile(r"[\u1000-\u109f]")}
# Zawgyi puts the vowel sign E and medial RA before the consonant, so a word would start with them;
# Unicode Burmese never does.
ZAWGYI_ORDER = re.compile(r"(?:^|[\s\"(])[\u1031\u103b\u103c]")


def write_form(tmp_path, **options) -> tuple[bytes, str]:
    path = tmp_path / "intake.xlsx"
    out = io.StringIO()
    call_command("intake_xlsform", out=str(path), stdout=out, **options)
    return path.read_bytes(), out.getvalue()


def sheet(data: bytes, name: str) -> list[dict]:
    rows = load_workbook(io.BytesIO(data), read_only=True)[name].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.django_db
def test_the_command_writes_a_form_that_pyxform_converts_and_odk_validate_accepts(world, tmp_path):
    data, output = write_form(tmp_path)
    assert f"form {FORM_ID} version 1." in output and "1 compounds, 2 facilities, 250 nationalities" in output
    # ODK Validate ships with pyxform and runs offline; it needs Java only.
    result = convert(xlsform=io.BytesIO(data), validate=shutil.which("java") is not None, file_type=".xlsx")
    assert result.warnings == []
    xform = result.xform
    assert f'id="{FORM_ID}"' in xform and 'jr:preload="uid"' in xform and "<instanceID/>" in xform
    for language in labels.LANGUAGES.values():
        assert f'<translation lang="{language}"' in xform
    assert 'default="true()"' in xform.split('<translation lang="English (en)"')[1][:30]
    settings = sheet(data, "settings")[0]
    assert (settings["form_id"], settings["default_language"]) == (FORM_ID, "English (en)")
    assert settings["version"].startswith("1.")


@pytest.mark.django_db
def test_every_text_is_in_all_four_languages_each_in_its_own_script(world, tmp_path):
    data, _output = write_form(tmp_path)
    survey = sheet(data, "survey")
    for row in survey:
        if row["type"] in ("start", "end", "end_group"):
            continue
        assert row["label::English (en)"], row["name"]
        for column in TRANSLATED:
            texts = {language: row[f"{column}::{language}"] for language in labels.LANGUAGES.values()}
            if not any(texts.values()):
                continue
            assert all(texts.values()), (row["name"], column, texts)
            for language, script in SCRIPTS.items():
                assert script.search(texts[language]), (row["name"], column, language)
            assert not ZAWGYI_ORDER.search(texts["Burmese (my)"]), (row["name"], column)
    for row in sheet(data, "choices"):
        texts = [row[f"label::{language}"] for language in labels.LANGUAGES.values()]
        assert all(texts), row
        if row["list_name"] in ("sex", "dob_precision") or row["name"] in ("none", "XXA"):
            for language, script in SCRIPTS.items():
                assert script.search(row[f"label::{language}"]), row
        assert not ZAWGYI_ORDER.search(row["label::Burmese (my)"]), row


@pytest.mark.django_db
def test_the_choice_lists_name_compounds_and_facilities_by_id_and_countries_by_code(world, tmp_path):
    kk = world.compounds["kk"]
    CompoundAlias.objects.create(compound=kk, name="KK园区", script="Hani")
    data, _output = write_form(tmp_path)
    choices = {(row["list_name"], row["name"]): row for row in sheet(data, "choices")}
    assert choices[("compound", str(kk.pk))]["label::Chinese (zh)"] == "KK园区 / KK Park"
    assert choices[("compound", str(kk.pk))]["label::Thai (th)"] == "KK Park"
    shelter = world.facilities["shelter"]
    assert choices[("facility", str(shelter.pk))]["label::English (en)"] == "Mae Sot Shelter"
    assert ("facility", "none") in choices and ("compound", "none") in choices
    assert choices[("country", "CHN")]["label::Chinese (zh)"] == "中国"
    assert choices[("country", "MMR")]["label::Burmese (my)"] == "မြန်မာနိုင်ငံ"
    assert choices[("country", "CHN")]["label::Burmese (my)"] == "တရုတ်နိုင်ငံ"
    assert choices[("country", "THA")]["label::Thai (th)"] == "ไทย"
    assert choices[("country", "XXA")]["label::Thai (th)"] == "ไร้สัญชาติ"
    assert [name for (list_name, name) in choices if list_name == "sex"] == list(SEX_CHOICES)
    assert [name for (list_name, name) in choices if list_name == "dob_precision"] == [*DOB_QUESTIONS, "unknown"]
    lists = {list_name for list_name, _name in choices}
    for row in sheet(data, "survey"):
        if row["type"].startswith("select_one "):
            assert row["type"].split()[1] in lists


def test_the_questions_map_onto_the_canonical_import_columns():
    answered = set(TEXT_ANSWERS) | {"sex", "nationality", "compound", "facility"}
    assert answered <= QUESTION_NAMES
    assert answered | {"list_ref", "row_ref", "date_of_birth"} == set(CANONICAL_COLUMNS)
    assert set(DOB_QUESTIONS.values()) <= QUESTION_NAMES
    assert set(labels.CHOICES["sex"]) == set(SEX_CHOICES)


@pytest.mark.django_db
def test_the_version_follows_the_content_and_can_be_given(world, tmp_path):
    first = build_form()["settings"][0]["version"]
    assert build_form()["settings"][0]["version"] == first
    Compound.objects.create(name="Dongmei Park", country="MMR")
    assert build_form()["settings"][0]["version"] != first
    data, _output = write_form(tmp_path, form_version="2025022001")
    assert sheet(data, "settings")[0]["version"] == "2025022001"
