"""``crossing flows learn --labels labels.csv --out scores.csv``: a learned laundering score where labels exist."""

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossing.access.cli_actor import cli_actor, command_refused
from crossing.core.errors import NotFound, ValidationFailed
from crossing.core.private_files import write_output
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.flows import selectors
from crossing.flows.labels import read_labels
from crossing.network.management.commands.network_import import describe

COLUMNS = ("account", "score", "flagged", "label", "reasons")


class Command(BaseCommand):
    help = ("Train gradient-boosted trees on labelled accounts (CSV: account,label[,group]; 1 = laundering, "
            "0 = legitimate; group = a case, kept in one fold) over the accounts' graph features and the latest "
            "detector run's pattern scores, and score every account: --out CSV (account, score, flagged, label, "
            "reasons), best first. Prints the cross-validated precision, recall and F1 on the labels, beside the "
            "same model on raw features alone. Without any label 0 the unlabelled accounts count as legitimate. "
            "Needs flows.view; audited.")

    def add_arguments(self, parser):
        parser.add_argument("--labels", required=True, help="CSV of account,label[,group]")
        parser.add_argument("--out", required=True, help="the CSV file to write ('-' for standard output)")
        parser.add_argument("--features", choices=["graph", "raw"], default="graph",
                            help="graph (default: raw + graph + detector patterns) or raw")
        parser.add_argument("--top", type=int, default=0, help="write only the best N accounts (default: all)")
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args, **opts):
        try:
            data = Path(opts["labels"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"--labels: {exc.strerror}: {opts['labels']}", returncode=2) from None
        actor = cli_actor(opts["user"])
        try:
            result = selectors.learned_scores(actor, read_labels(data, Path(opts["labels"]).name),
                                              feature_set=opts["features"])
        except NotFound:
            raise command_refused(actor, "see money flows", "flows.view") from None
        except ValidationFailed as exc:
            lines = [exc.message] + [f"  {describe(e)}" for e in exc.extra.get("errors", [])[:20]]
            raise CommandError("\n".join(lines), returncode=2) from None
        rows = result["accounts"][: opts["top"]] if opts["top"] > 0 else result["accounts"]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow(neutralise_row([r["account"], f"{r['score']:.4f}", "1" if r["flagged"] else "0",
                                            "" if r["label"] is None else str(r["label"]), "; ".join(r["reasons"])]))
        write_output(opts["out"], buffer.getvalue(), self.stdout)  # scores of named accounts: owner-only
        m = result["metrics"]
        note = " (no label 0: unlabelled accounts counted as legitimate)" if result["unlabelled_as_legitimate"] else ""
        summary = [f"{result['labelled']} labelled accounts, {result['positives']} laundering{note}; "
                   f"cross-validated ({result['feature_set']} features): precision {m[result['feature_set']]['precision']:.2f}, "
                   f"recall {m[result['feature_set']]['recall']:.2f}, F1 {m[result['feature_set']]['f1']:.2f}"]
        if result["feature_set"] != "raw":
            summary.append(f"raw features alone: F1 {m['raw']['f1']:.2f}")
        flagged = sum(1 for r in result["accounts"] if r["flagged"])
        summary.append(f"{len(result['accounts'])} accounts scored, {flagged} flagged"
                       + ("" if opts["out"] == "-" else f"; written to {opts['out']}"))
        self.stderr.write("; ".join(summary))
