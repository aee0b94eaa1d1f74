"""The flows REST API: analysts import, trace, rank and read alerts; prosecutors read; others get 404."""

import pytest

from crossing.flows.tests.conftest import COLLECTOR
from crossing.flows.tests.test_import import CANONICAL

BASE = "/api/v1/flows/"


def test_analyst_traces_and_ranks_over_the_api(laundering, login):
    client = login("police.analyst")
    ranked = client.get(f"{BASE}ranking/", {"top": 3}).json()
    assert ranked[0]["account"] == COLLECTOR and ranked[0]["holders"] == [["boss", "Boss One"]]
    trace = client.get(f"{BASE}trace/v0/").json()
    assert trace["conserved"]["ok"] and trace["seed"]["txn_id"] == "v0"
    assert client.get(f"{BASE}trace/missing/").status_code == 404
    assert client.get(f"{BASE}alerts/").status_code == 200


def test_import_over_the_api_is_all_or_nothing(world, login):
    client = login("police.analyst")
    bad = client.post(f"{BASE}import/?file_format=canonical", data=CANONICAL + b"X,never,A,B,1,USD,bank\n", content_type="text/csv")
    assert bad.status_code == 400 and bad.json()["extra"]["errors"][0]["row"] == 5
    ok = client.post(f"{BASE}import/?file_format=canonical&name=bank.csv", data=CANONICAL, content_type="text/csv")
    assert ok.status_code == 200 and ok.json()["new_rows"] == 3
    again = client.post(f"{BASE}import/?file_format=canonical", data=CANONICAL, content_type="text/csv")
    assert again.json()["already_imported"] is True
    assert client.post(f"{BASE}import/?file_format=nope", data=CANONICAL, content_type="text/csv").status_code == 400


def test_prosecutor_reads_but_cannot_import(laundering, login):
    client = login("prosecutor")
    assert client.get(f"{BASE}trace/v0/").status_code == 200
    assert client.post(f"{BASE}import/?file_format=canonical", data=CANONICAL, content_type="text/csv").status_code == 404


@pytest.mark.parametrize("username", ["outsider", "case.officer", "embassy.china", "shelter.staff", "auditor"])
def test_everyone_outside_the_compartment_gets_404(laundering, login, username):
    client = login(username)
    for url in ("ranking/", "alerts/", "trace/v0/"):
        assert client.get(f"{BASE}{url}").status_code == 404, url
    assert client.post(f"{BASE}import/?file_format=canonical", data=CANONICAL, content_type="text/csv").status_code == 404
