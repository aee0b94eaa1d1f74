"""Large lists romanize and tokenise names in a worker process; the result must be the same."""

import pytest

from crossing.access.cli_actor import cli_actor
from crossing.access.policy import people
from crossing.registry.importing import name_workers, service
from crossing.registry.models import NameToken, PersonName
from crossing.registry.search import search_people

HEADER = "list_ref,row_ref,full_name,native_name,sex,date_of_birth,nationality\n"


def _csv(rows: int) -> bytes:
    lines = [f"L1,r{i},ZHANG WEI {i},张伟{'一二三四五六七八九'[i % 9]},M,1995,CHN" for i in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode()


@pytest.mark.django_db
def test_names_computed_by_the_worker_process_match_the_main_process(monkeypatch):
    actor = cli_actor(None)
    monkeypatch.setattr(service, "PARALLEL_NAMES_FROM_ROWS", 1)
    monkeypatch.setattr(name_workers, "BATCH", 7)  # several batches, waited for in order
    report = service.import_list(actor=actor, data=_csv(40), filename="big.csv")
    assert report.committed and report.rows_to_create == 40
    parallel = sorted(NameToken.objects.values_list("token", flat=True))
    names = sorted(PersonName.objects.values_list("full_name", "script", "romanized"))

    # The same list under another reference, tokenised on the main process only.
    monkeypatch.setattr(service, "PARALLEL_NAMES_FROM_ROWS", 10**9)
    service.import_list(actor=actor, data=_csv(40).replace(b"L1,", b"L2,"), filename="small.csv")
    serial = sorted(NameToken.objects.values_list("token", flat=True))
    assert serial == sorted(parallel * 2)
    assert sorted(PersonName.objects.values_list("full_name", "script", "romanized")) == sorted(names * 2)
    assert search_people(people(actor, "list"), "张伟三").count() == 2 * len([i for i in range(40) if i % 9 == 2])
