"""``crossing repatriation plan``: the exact CLI contract, as a child process (no database needed)."""

import json
import os
import subprocess  # noqa: S404
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBLEM = {
    "start_date": "2025-03-03", "horizon_days": 10, "daily_capacity": {"2025-03-04": 300, "2025-03-08": 0},
    "people": [
        {"id": "a", "destination": "VNM", "ready_date": "2025-03-01", "weight": 1, "group": None},
        {"id": "b", "destination": "LAO", "ready_date": "2025-03-02", "weight": 1, "group": None},
        {"id": "k", "destination": "KEN", "ready_date": "2025-02-20", "weight": 2, "group": "fam"},
        {"id": "u", "destination": "UGA", "ready_date": "2025-03-02", "weight": 1, "group": "fam"},
    ],
    "movements": [
        {"id": "shared", "date": "2025-03-03", "destinations": ["VNM", "LAO"], "capacity": 1},
        {"id": "vnm", "date": "2025-03-04", "destinations": ["VNM"], "capacity": 1},
        {"id": "et", "date": "2025-03-05", "destinations": ["ETH", "KEN", "UGA"], "capacity": 80},
    ],
}


def _command() -> list[str]:
    return [sys.executable, "-c", "from crossing.cli import main; main()", "repatriation", "plan"]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    no_db = tmp_path / "must-not-exist.sqlite3"
    env = dict(os.environ, CROSSING_ENV="dev", DJANGO_SETTINGS_MODULE="config.settings",
               DATABASE_URL=f"sqlite:///{no_db}", PYTHONPATH=str(ROOT))
    proc = subprocess.run([*_command(), *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)
    assert not no_db.exists(), "the planner must not need the database"
    return proc


def test_plan_writes_the_contract_output(tmp_path):
    src, out = tmp_path / "problem.json", tmp_path / "plan.json"
    src.write_text(json.dumps(PROBLEM), encoding="utf-8")
    proc = run(tmp_path, "--input", str(src), "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert list(plan) == ["assignments", "objective", "lower_bound", "seconds"]
    assert plan["assignments"] == {"a": "vnm", "b": "shared", "k": "et", "u": "et"}
    # a 3 days, b 1 day, k 2 x 13 days (ready 20 Feb), u 3 days
    assert plan["objective"] == 3 + 1 + 26 + 3
    assert plan["lower_bound"] == plan["objective"]
    assert isinstance(plan["seconds"], float | int) and plan["seconds"] >= 0


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["people"][1].update(ready_date="2025-02-30"), 'people[1].ready_date: not a date: "2025-02-30"'),
    (lambda d: d["movements"][2].update(capacity="eighty"), "movements[2].capacity"),
    (lambda d: d["people"][3].update(id="a"), "people[3].id: duplicate"),
    (lambda d: d["people"][0].update(weight=-2), "people[0].weight"),
    (lambda d: d.pop("horizon_days"), "horizon_days: missing"),
])
def test_malformed_input_exits_non_zero_naming_the_field(tmp_path, change, field):
    data = json.loads(json.dumps(PROBLEM))
    change(data)
    src, out = tmp_path / "problem.json", tmp_path / "plan.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    proc = run(tmp_path, "--input", str(src), "--output", str(out))
    assert proc.returncode != 0
    assert field in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists()


def test_missing_input_file_and_bad_json(tmp_path):
    proc = run(tmp_path, "--input", str(tmp_path / "nope.json"), "--output", str(tmp_path / "plan.json"))
    assert proc.returncode != 0 and "nope.json" in proc.stderr and "Traceback" not in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{\"start_date\": ", encoding="utf-8")
    proc = run(tmp_path, "--input", str(bad), "--output", str(tmp_path / "plan.json"))
    assert proc.returncode != 0 and "input: not valid JSON" in proc.stderr and "Traceback" not in proc.stderr


def test_in_process_call_command_and_fcfs(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    src, out = tmp_path / "problem.json", tmp_path / "plan.json"
    src.write_text(json.dumps(PROBLEM), encoding="utf-8")
    call_command("repatriation_plan", "--input", str(src), "--output", str(out), "--method", "fcfs")
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["assignments"]["a"] == "shared" and "b" not in plan["assignments"]
    assert plan["lower_bound"] is None
    bad = dict(PROBLEM, start_date="2025-02-29")
    src.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError, match=r"^start_date: not a date"):
        call_command("repatriation_plan", "--input", str(src), "--output", str(out))
