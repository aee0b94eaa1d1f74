"""One way in: views, the API and the CLI never query protected models directly (Zulip's semgrep
rule, as a test). Protected reads go through crossing.access.policy and the selectors."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTECTED = {"Person", "PersonName", "NameToken", "PersonNationality", "PersonLanguage", "IdentityDocument",
             "FamilyContact", "Vulnerability", "Placement", "ImportedRow", "AuditEvent", "DenyEntry", "BreakGlassGrant",
             "PhoneNumber", "MatchCandidate", "Merge", "LinkageRun"}
INTERFACE_FILES = [
    *sorted((ROOT / "crossing/web/views").glob("*.py")),
    ROOT / "crossing/registry/api.py",
    ROOT / "crossing/access/api.py",
    *sorted(ROOT.glob("crossing/*/api.py")),
    *sorted(ROOT.glob("crossing/*/management/commands/*.py")),
]


def _direct_queries(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            if node.value.id in PROTECTED:
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.objects")
    return found


def test_interface_code_never_queries_protected_models_directly():
    offenders = [hit for path in INTERFACE_FILES for hit in _direct_queries(path)]
    assert offenders == [], "use crossing.access.policy / selectors instead:\n" + "\n".join(offenders)


def test_the_rule_catches_a_direct_query(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("from crossing.registry.models import Person\n\ndef v(request):\n    return Person.objects.all()\n")
    assert _direct_queries(sample, root=tmp_path) == ["views.py:4 Person.objects"]
