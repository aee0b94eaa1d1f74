"""``crossing flows learn``: labels read with row and column in every error, the accounts scored best
first with reasons, the cross-validated figures, access (an outsider is refused) and the audit."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.flows.generator import generate_flows
from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent
from crossing.core.errors import ValidationFailed
from crossing.flows import services
from crossing.flows.labels import read_labels


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("flows_learn", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def generated(analyst, tmp_path):
    world = generate_flows(3, transactions=10_000, rings=3)
    services.import_table(actor=analyst, table=world.txns, name="generated")
    rings = world.truth["rings"]
    path = tmp_path / "labels.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "label", "group"])
        for ring, r in rings.items():  # what a bank reported: the mules of every ring
            for account in r["mules"]:
                writer.writerow([account, 1, ring])
    return world, path


def test_learn_scores_every_account_best_first_with_reasons(generated, tmp_path):
    world, labels = generated
    out = tmp_path / "scores.csv"
    _, err = run("--labels", str(labels), "--out", str(out), "--user", "police.analyst")
    assert out.stat().st_mode & 0o777 == 0o600  # scores of named accounts: the caller's alone
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert list(rows[0]) == ["account", "score", "flagged", "label", "reasons"]
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    ring_accounts = {a for r in world.truth["rings"].values() for k in ("mules", "layering", "collectors") for a in r[k]}
    flagged = [r["account"] for r in rows if r["flagged"] == "1"]
    assert flagged and sum(a in ring_accounts for a in flagged) / len(flagged) >= 0.8
    assert rows[0]["reasons"].count("% of accounts)") >= 1
    assert "cross-validated (graph features): precision" in err and "raw features alone: F1" in err
    assert "unlabelled accounts counted as legitimate" in err
    event = AuditEvent.objects.filter(event_type=AuditEventType.FLOWS_ANALYSED, actor_username="police.analyst",
                                      extra__view="learned_scores").get()
    assert event.extra["positives"] > 0 and "account" not in str(event.extra)


def test_bad_labels_name_the_row_and_column_and_nothing_runs(generated, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("account,label\nKBANK:1,1\n,0\nKBANK:2,maybe\nKBANK:1,0\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("--labels", str(bad), "--out", str(tmp_path / "x.csv"), "--user", "police.analyst")
    text = str(exc.value)
    assert "row 3, column account: empty" in text
    assert "row 4, column label: must be 1 (laundering) or 0 (legitimate)" in text
    assert "row 5, column label: contradicts row 2" in text
    assert not (tmp_path / "x.csv").exists()
    assert not AuditEvent.objects.filter(extra__view="learned_scores").exists()


@pytest.mark.parametrize("data,message", [
    (b"account\nA\n", "header needs account and label"),
    (b"\xff\xfe", "not UTF-8"),
    (b"account,label\n", "no labelled account"),
])
def test_unreadable_label_files_are_refused(data, message):
    with pytest.raises(ValidationFailed, match=message):
        read_labels(data)


def test_too_few_labels_in_the_data_are_refused(generated, tmp_path):
    few = tmp_path / "few.csv"
    few.write_text("account,label\nNOT-IN-DATA,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="at least 5 accounts labelled 1"):
        run("--labels", str(few), "--out", "-", "--user", "police.analyst")


@pytest.mark.parametrize("username", ["outsider", "case.officer", "embassy.china", "auditor"])
def test_outside_the_compartment_learning_is_refused_and_audited(laundering, username, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("account,label\nKBANK:100,1\nKBANK:101,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="refused"):
        run("--labels", str(labels), "--out", "-", "--user", username)
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_DENIED, actor_username=username,
                                     extra__action="flows.view").exists()


def test_a_small_label_set_without_cases_is_scored_without_crashing(generated, tmp_path):
    world, _ = generated
    mules = [a for r in world.truth["rings"].values() for a in r["mules"]][:6]
    small = tmp_path / "small.csv"
    small.write_text("account,label\n" + "".join(f"{a},1\n" for a in mules), encoding="utf-8")
    out, err = run("--labels", str(small), "--out", "-", "--user", "police.analyst")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 100 and "6 labelled accounts, 6 laundering" in err


def test_labels_all_from_one_case_are_refused(generated, tmp_path):
    world, _ = generated
    mules = [a for r in world.truth["rings"].values() for a in r["mules"]][:8]
    one = tmp_path / "one.csv"
    one.write_text("account,label,group\n" + "".join(f"{a},1,CASE-1\n" for a in mules), encoding="utf-8")
    with pytest.raises(CommandError, match="in at least 2 cases"):
        run("--labels", str(one), "--out", "-", "--user", "police.analyst")
