"""Importing a handover list: all or nothing, safe to repeat.

1. read and map the columns; 2. validate every row, naming row and column of each problem;
3. stop there on any error or on a dry run; 4. otherwise write everything in one transaction.
A (list_ref, row_ref) pair is imported once: the same list again creates nothing, and a row that
changed since it was imported is reported instead of silently overwriting the registry.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.names import search_key
from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import PermissionDeniedError, ValidationFailed
from crossing.core.gc_pause import paused_gc
from crossing.registry.drafts import DocumentDraft, NameDraft, PersonDraft, PlacementDraft, SourceRow
from crossing.registry.importing.columns import CANONICAL_COLUMNS, NAME_COLUMNS, REQUIRED_COLUMNS
from crossing.registry.importing.name_workers import NameWorkers
from crossing.registry.importing.reader import Problem, TableFile
from crossing.registry.importing.rows import ParsedRow, RowParser
from crossing.registry.importing.submissions import SubmissionExport, open_file
from crossing.registry.models import (
    Compound,
    CompoundAlias,
    ImportBatch,
    ImportedRow,
    RescueEvent,
)
from crossing.registry.services.people import owner_context, person_bulk_create

MAX_PROBLEMS_REPORTED = 1000
# Below this many rows a worker process costs more than it saves.
PARALLEL_NAMES_FROM_ROWS = 20000


def _row_estimate(data: bytes) -> int:
    return data.count(b"\n")


@dataclass
class ImportReport:
    filename: str
    sha256: str = ""
    rows_total: int = 0
    rows_to_create: int = 0
    rows_unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    batch_id: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "filename": self.filename, "sha256": self.sha256, "rows_total": self.rows_total,
            "rows_to_create": self.rows_to_create, "rows_unchanged": self.rows_unchanged, "dry_run": self.dry_run,
            "committed": self.committed, "batch_id": self.batch_id, "ok": self.ok,
            "error_count": len(self.errors), "problems": [p.as_dict() for p in self.problems[:MAX_PROBLEMS_REPORTED]],
        }


def _header_map(header: list[str], mapping: dict[str, str], report: ImportReport) -> dict[str, str]:
    """Source header -> canonical column, from the explicit mapping or matching names."""
    result: dict[str, str] = {}
    for source in header:
        if source in mapping:
            result[source] = mapping[source]
            continue
        guess = source.strip().lower().replace(" ", "_").replace("-", "_")
        if guess in CANONICAL_COLUMNS:
            result[source] = guess
        elif source:
            report.problems.append(Problem(1, source, _("column not used (not a canonical column and not mapped)"), "warning"))
    missing_sources = [s for s in mapping if s not in header]
    for source in missing_sources:
        report.problems.append(Problem(1, source, _("mapped column %(column)r is not in the file") % {"column": source}))
    present = set(result.values())
    for column in REQUIRED_COLUMNS:
        if column not in present:
            report.problems.append(Problem(1, column, _("required column missing")))
    if not present & set(NAME_COLUMNS):
        report.problems.append(Problem(1, "full_name", _("a name column is required (full_name or native_name)")))
    duplicates = {c for c in present if list(result.values()).count(c) > 1}
    for column in sorted(duplicates):
        report.problems.append(Problem(1, column, _("two source columns map to this column")))
    return result


def _lookups(actor: Actor) -> RowParser:
    compounds = {c.search_key or search_key(c.name): c.pk for c in Compound.objects.only("id", "name", "search_key")}
    for alias in CompoundAlias.objects.only("compound_id", "name", "search_key"):
        compounds.setdefault(alias.search_key or search_key(alias.name), alias.compound_id)
    # Only facilities the importer may see, as on the intake form.
    facilities = {search_key(f.name): f.pk for f in policy.facilities(actor, "view").only("id", "name")}
    return RowParser(compounds, facilities)


def _mapped_rows(table: TableFile | SubmissionExport, header_map: dict[str, str]):
    for number, values in table.rows():
        mapped = {canonical: values.get(source, "") for source, canonical in header_map.items()}
        if "__extra__" in values:
            mapped["__extra__"] = values["__extra__"]
        yield number, mapped


def import_list(*, data: bytes, dry_run: bool = False, **kwargs) -> ImportReport:
    """Validate a list and, unless ``dry_run`` or anything is wrong, import it all or nothing."""
    big = not dry_run and _row_estimate(data) >= PARALLEL_NAMES_FROM_ROWS
    workers = NameWorkers() if big and kwargs["actor"].can("person", "import") else None
    try:
        with paused_gc():
            return _import_list(data=data, dry_run=dry_run, workers=workers, **kwargs)
    finally:
        if workers is not None:
            workers.close()


def _import_list(
    *,
    workers: NameWorkers | None,
    actor: Actor,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    encoding: str | None = None,
    file_format: str = "auto",
    max_bytes: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportReport:
    if not actor.can("person", "import"):
        raise PermissionDeniedError(_("Your role may not import lists."))
    report = ImportReport(filename=filename, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    if max_bytes is not None and len(data) > max_bytes:
        raise ValidationFailed(
            _("the file is %(size).1f MB; the limit here is %(limit).0f MB. Split the list, or import it with the "
              "command line (crossing registry import).") % {"size": len(data) / 1e6, "limit": max_bytes / 1e6},
            extra={"problems": [Problem(None, "", _("file too large")).as_dict()]},
        )
    try:
        table = open_file(data, filename, encoding, file_format)
    except ValidationFailed as exc:
        audit.record(actor, AuditEventType.IMPORT_REJECTED, subject_type="import", subject_id=report.sha256[:16],
                     outcome="rejected", extra={"file_error": exc.message[:300]})
        raise
    header_map = _header_map(table.header, mapping or {}, report)
    if report.errors:
        return _finish_rejected(actor, report)
    report.problems.extend(table.problems)
    parser = _lookups(actor)

    # Pass 1: validate everything. The parsed rows are kept for writing (parsing twice costs more
    # than the memory: about 0.5 KB a row).
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    passports: dict[str, int] = {}
    hashes: list[tuple[str, str, str, int]] = []
    for number, values in _mapped_rows(table, header_map):
        row = parser.parse(number, values)
        report.rows_total += 1
        if row.problems:
            report.problems.extend(row.problems)
            row.problems = []
        parsed.append(row)
        if workers is not None and not row.problems:
            workers.add((row.full_name, row.native_name))
        key = (row.list_ref, row.row_ref)
        if row.list_ref and row.row_ref:
            if key in seen:
                report.problems.append(Problem(number, "row_ref", _("duplicate row: %(row_ref)r of list %(list_ref)r is also on row %(other)s")
                                               % {"row_ref": row.row_ref, "list_ref": row.list_ref, "other": seen[key]}))
            else:
                seen[key] = number
                hashes.append((row.list_ref, row.row_ref, row.content_hash, number))
        if row.passport_number:
            if row.passport_number in passports:
                report.problems.append(Problem(number, "passport_number",
                                               _("same passport number as row %(other)s: possibly the same person")
                                               % {"other": passports[row.passport_number]}, "warning"))
            else:
                passports[row.passport_number] = number
        if progress and report.rows_total % 5000 == 0:
            progress("validate", report.rows_total)
    if report.rows_total == 0:
        report.problems.append(Problem(None, "", _("the file has a header but no rows")))
    previous = _previous_imports({h[0] for h in hashes})
    skip: set[tuple[str, str]] = set()
    for list_ref, row_ref, digest, number in hashes:
        before = previous.get((list_ref, row_ref))
        if before is None:
            continue
        if before == digest:
            skip.add((list_ref, row_ref))
        elif isinstance(table, SubmissionExport):
            # A submission is imported once. Every later export carries an edit made on the server, so an
            # error would block the form for good: the edit is reported instead, and not applied. Other
            # differences come from this side (a compound or facility renamed) and change nothing.
            skip.add((list_ref, row_ref))
            if row_ref in table.edited:
                report.problems.append(Problem(number, "row_ref", _(
                    "submission %(row_ref)s was edited on the server after it was imported; the edit is not "
                    "applied: correct the person's record") % {"row_ref": row_ref}, "warning"))
        else:
            report.problems.append(Problem(number, "row_ref", _(
                "row %(row_ref)r of list %(list_ref)r was imported before with different content; correct it on the "
                "person's page") % {"row_ref": row_ref, "list_ref": list_ref}))
    report.rows_unchanged = len(skip)
    report.rows_to_create = report.rows_total - len(skip)
    del hashes, passports
    if report.errors:
        return _finish_rejected(actor, report)
    if dry_run:
        audit.record(actor, AuditEventType.IMPORT_VALIDATED, subject_type="import", subject_id=report.sha256[:16],
                     extra={"rows": report.rows_total, "to_create": report.rows_to_create})
        return report

    if report.rows_to_create == 0:
        # Everything was imported before: a successful no-op, recorded without an empty batch.
        audit.record(actor, AuditEventType.IMPORT_COMMITTED, subject_type="import", subject_id=report.sha256[:16],
                     extra={"rows": report.rows_total, "created": 0, "unchanged": report.rows_unchanged})
        report.committed = True
        return report

    # Pass 2: write, all or nothing.
    agency_id, team_id = owner_context(actor, ("person", "import"))
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                list_ref=",".join(sorted({key[0] for key in seen}))[:100], filename=filename[:255], sha256=report.sha256,
                rows_total=report.rows_total, rows_created=report.rows_to_create, rows_unchanged=report.rows_unchanged,
                created_by=actor.user if actor.user and actor.user.is_authenticated else None,
            )
            drafts = _drafts(parsed, skip)
            if workers is not None:
                workers.flush()
            person_bulk_create(
                actor=actor, drafts=drafts, owner_agency_id=agency_id, owner_team_id=team_id, batch=batch, source="import",
                progress=(lambda n: progress("write", n)) if progress else None, precomputed_names=workers,
            )
            audit.record(actor, AuditEventType.IMPORT_COMMITTED, subject_type="import", subject_id=batch.pk,
                         extra={"rows": report.rows_total, "created": report.rows_to_create, "unchanged": report.rows_unchanged,
                                "sha256": report.sha256})
    except IntegrityError:
        raise ValidationFailed(_("another import of the same rows finished first; run this import again")) from None
    report.committed = True
    report.batch_id = str(batch.pk)
    return report


def _previous_imports(list_refs: set[str]) -> dict[tuple[str, str], str]:
    result: dict[tuple[str, str], str] = {}
    refs = list(list_refs)
    for i in range(0, len(refs), 500):
        for lr, rr, h in ImportedRow.objects.filter(list_ref__in=refs[i:i + 500]).values_list("list_ref", "row_ref", "content_hash").iterator(chunk_size=10000):
            result[(lr, rr)] = h
    return result


def _finish_rejected(actor: Actor, report: ImportReport) -> ImportReport:
    audit.record(actor, AuditEventType.IMPORT_REJECTED, subject_type="import", subject_id=report.sha256[:16],
                 outcome="rejected", extra={"rows": report.rows_total, "errors": len(report.errors), "dry_run": report.dry_run})
    return report


def _drafts(parsed: list[ParsedRow], skip: set):
    events: dict[tuple, object] = {}
    now = timezone.now()
    tz = timezone.get_current_timezone()
    for row in parsed:
        if (row.list_ref, row.row_ref) in skip:
            continue
        rescue_event_id = None
        if row.handed_over_by or row.handed_over_on:
            key = (row.handed_over_on or now.date(), row.compound_id, row.handed_over_by)
            if key not in events:
                event, _created = RescueEvent.objects.get_or_create(
                    occurred_on=key[0], compound_id=key[1], handed_over_by=key[2],
                )
                events[key] = event.pk
            rescue_event_id = events[key]
        names = []
        if row.full_name:
            names.append(NameDraft(row.full_name, kind="passport"))
        if row.native_name:
            names.append(NameDraft(row.native_name, kind="native"))
        check_in = datetime.combine(row.handed_over_on, time(12), tzinfo=tz) if row.handed_over_on else now
        yield PersonDraft(
            names=names, sex=row.sex, date_of_birth=row.date_of_birth, dob_precision=row.dob_precision,
            nationalities=[row.nationality] if row.nationality else [],
            documents=[DocumentDraft(row.passport_number, issuing_country=row.nationality or "")] if row.passport_number else [],
            phones=[row.phone] if row.phone else [],
            compound_id=row.compound_id, rescue_event_id=rescue_event_id,
            placements=[PlacementDraft(row.facility_id, check_in, reason="handover list")] if row.facility_id else [],
            status="awaiting_screening",
            source=SourceRow(row.list_ref, row.row_ref, row.content_hash),
        )
