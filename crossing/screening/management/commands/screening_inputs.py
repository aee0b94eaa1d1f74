import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access import audit
from crossing.access.audit import EventDraft
from crossing.access.cli_actor import cli_actor
from crossing.access.events import AuditEventType
from crossing.core.private_files import write_private_file
from crossing.screening import selectors


class Command(BaseCommand):
    help = ("Write the inputs of every stored screening evaluation you may read as JSON lines, in the "
            "'crossing screening assess' record format (id = the evaluation id), so the recommendations "
            "can be reproduced. With --expected, also write the stored explanations, one per line.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="JSON lines file for the inputs ('-' for stdout)")
        parser.add_argument("--expected", help="JSON lines file for the stored explanations")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        actor = cli_actor(opts["user"])
        evaluations = list(selectors.stored_inputs(actor).select_related("screening"))
        if not evaluations:
            self.stderr.write("no stored evaluations you may read")
        inputs, expected = [], []
        for e in evaluations:
            inputs.append(json.dumps({**e.inputs, "id": str(e.pk)}, ensure_ascii=False))
            expected.append(json.dumps({"id": str(e.pk), **e.explanation}, ensure_ascii=False))
        try:
            _write(opts["out"], inputs)
            if opts["expected"]:
                _write(opts["expected"], expected)
        except OSError as exc:
            raise CommandError(f"cannot write: {exc}", returncode=2) from exc
        people = {e.screening.person_id for e in evaluations}
        audit.record_many(actor, [EventDraft(AuditEventType.SCREENING_EXPORTED, "screening_inputs", "", pid,
                                             extra={"format": "assess-inputs"}) for pid in people])
        self.stderr.write(f"{len(evaluations)} evaluations of {len(people)} people written")


def _write(target: str, lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    if target == "-":
        sys.stdout.write(text)
    else:
        write_private_file(Path(target), text)
