"""The ``crossing`` console command: ``crossing <group> <verb> [options]``.

Each verb is a Django management command named ``<group>_<verb>``, so the CLI, the web and the API
share the same services. Plain Django commands (migrate, runserver, createsuperuser, check, shell)
pass through. Every command honours DATABASE_URL.
"""

import os
import sys

COMMANDS: dict[str, dict[str, tuple[str, str]]] = {
    "registry": {
        "import": ("registry_import", "Import a handover list (CSV or XLSX) all-or-nothing; --dry-run only validates."),
        "export": ("registry_export", "Export the people you may see to CSV (formulas neutralised, audited)."),
        "dedupe": ("registry_dedupe", "Find likely duplicate people in the registry and queue them for a decision."),
    },
    "linkage": {
        "link": ("linkage_link", "Match two lists (canonical columns) without merging; pairs and who is on one list only."),
    },
    "screening": {
        "assess": ("screening_assess", "Apply the screening rules to ScreeningRecord JSON (object, array or JSON lines); one explanation per record."),
        "export": ("screening_export", "Export screening data: per-person HTCDS JSON (authorised roles) or CTDC-style aggregates (k >= 11)."),
        "inputs": ("screening_inputs", "Write every stored evaluation's inputs as JSON lines, for reproduction with 'screening assess'."),
    },
    "repatriation": {
        "manifest": ("repatriation_manifest", "Export a movement's passenger manifest as a password-protected PDF or XLSX (password from --password-file or $CROSSING_MANIFEST_PASSWORD; audited per passenger)."),
        "plan": ("repatriation_plan", "Plan departures: assign ready people to movements (OR-Tools), with the solver's bound and the first-come-first-served plan."),
    },
    "intake": {
        "xlsform": ("intake_xlsform", "Write the offline intake questionnaire as an XLSForm for ODK Collect / KoboCollect."),
    },
    "scenario": {
        "generate": ("scenario_generate", "Fill the database with the synthetic 2025 Myawaddy scenario and demo personas."),
        "lists": ("scenario_lists", "Write overlapping CSV lists of scenario people for record-linkage tests and demos."),
    },
    "network": {
        "import": ("network_import", "Import intelligence all-or-nothing: FtM JSON lines, or contacts/chat/complaints CSV (--map ours=theirs)."),
        "export": ("network_export", "Export the network compartment: ftm, statements (FtM statement CSV), gexf (Gephi) or i2-csv (audited)."),
        "rank": ("network_rank", "Rank likely organizers (Person, Organization) best first, as a JSON array or a table."),
    },
    "flows": {
        "import": ("flows_import", "Import transactions all-or-nothing: --format canonical, tron (block explorer CSV) or bank-csv (CSV/XLSX statement)."),
        "detect": ("flows_detect", "Run the laundering typology detectors; --out alerts.csv (account, typology, score, evidence, ...)."),
        "rank": ("flows_rank", "Rank accounts by the victim money passing through them, as a JSON array {account, score, reasons}."),
        "accounts": ("flows_accounts", "Record account details from CSV (account, kind[, label, opened]): exchanges, casinos, cash desks end a trace."),
        "export": ("flows_export", "Export one payment's trace as FollowTheMoney JSON lines: --format ftm --trace TXN_ID."),
        "sweep": ("flows_sweep", "Delete transaction and alert files no import or run names (older than --older-than-hours, default 6)."),
        "learn": ("flows_learn", "Score every account with gradient-boosted trees trained on labelled accounts (account,label[,group]); --out scores.csv."),
        "trace": ("flows_trace", "Follow one transaction's money forward to the cash-out points, with amounts (FIFO, conserved)."),
    },
    "audit": {
        "verify": ("audit_verify", "Check the audit log's hash chain; non-zero exit names the first tampered event."),
        "guard": ("audit_guard", "Install database triggers that make the audit table append-only."),
    },
    "access": {
        "roles": ("access_roles", "List roles and their grants (resource.action [scope])."),
    },
    "demo": {
        "logins": ("demo_logins", "Print the demo personas, their roles and the demo-only password."),
    },
}
PASS_THROUGH = {
    "migrate": "Create or update the database tables.",
    "runserver": "Serve the web interface for development (make run does this for you).",
    "createsuperuser": "Create an administrator account.",
    "changepassword": "Change a user's password.",
    "check": "Check the configuration (add --deploy for production settings).",
    "compilemessages": "Compile the interface translations (.po -> .mo).",
    "makemessages": "Extract interface strings into the translation catalogues.",
    "collectstatic": "Gather static files for a production web server.",
    "shell": "Python shell with Crossing loaded.",
    "dbshell": "Database shell.",
    "makemigrations": "Create migrations after a model change (developers).",
    "spectacular": "Write the OpenAPI schema (for example: crossing spectacular --file schema.yaml).",
}


def _usage() -> str:
    lines = [
        "usage: crossing <group> <command> [options]   (or: crossing <django-command>)",
        "",
        "Crossing: registry, screening and repatriation for people freed from scam compounds.",
        "Use 'crossing <group> <command> --help' for a command's options.",
        "Every command works on the database in DATABASE_URL (default: the embedded SQLite file).",
        "",
    ]
    for group, verbs in COMMANDS.items():
        lines.append(f"{group}:")
        for verb, (_, text) in verbs.items():
            lines.append(f"  crossing {group} {verb:<10} {text}")
        lines.append("")
    lines.append("setup and maintenance:")
    for name, text in PASS_THROUGH.items():
        lines.append(f"  crossing {name:<19} {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    # The console command is a local operator tool; deployments set CROSSING_ENV=production.
    os.environ.setdefault("CROSSING_ENV", "dev")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return
    group = args[0]
    if group in COMMANDS:
        verbs = COMMANDS[group]
        if len(args) < 2 or args[1] in {"-h", "--help"}:
            print(f"usage: crossing {group} <command> [options]\n")
            for verb, (_, text) in verbs.items():
                print(f"  {verb:<10} {text}")
            return
        if args[1] not in verbs:
            print(f"crossing: unknown command '{group} {args[1]}'. Try 'crossing {group} --help'.", file=sys.stderr)
            sys.exit(2)
        command = verbs[args[1]][0]
        prog = f"crossing {group} {args[1]}"
        rest = args[2:]
    elif group in PASS_THROUGH:
        command, prog, rest = group, f"crossing {group}", args[1:]
    else:
        print(f"crossing: unknown command '{group}'. Try 'crossing --help'.", file=sys.stderr)
        sys.exit(2)
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    cmd = load_command_class(get_commands()[command], command)
    _run(cmd, prog, rest)


def _run(cmd, prog: str, rest: list[str]) -> None:
    parser = cmd.create_parser("crossing", prog.removeprefix("crossing ").replace(" ", "_"))
    parser.prog = prog
    options = parser.parse_args(rest)
    cmd_options = vars(options)
    positional = cmd_options.pop("args", ())
    from django.core.management.base import CommandError

    try:
        cmd.execute(*positional, **cmd_options)
    except CommandError as exc:
        cmd.stderr.write(f"crossing: {exc}")
        sys.exit(exc.returncode)


if __name__ == "__main__":
    main()
