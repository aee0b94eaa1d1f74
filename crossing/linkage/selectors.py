"""Record linkage reads, all scoped by the access layer and audited like any read of a person.

An actor sees a candidate pair only if they may update both people: deciding that two records
are one person is an edit of both, and nobody adjudicates records they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q, QuerySet

from crossing.access import audit, policy
from crossing.access.audit import EventDraft
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.core.errors import NotFound
from crossing.linkage.models import CandidateStatus, LinkageRun, MatchCandidate, Merge
from crossing.registry.models import ImportedRow, NameToken, Person, PersonName


def _adjudicable(actor: Actor, *, include_merged: bool) -> QuerySet[Person]:
    return policy.people(actor, "update", include_merged=include_merged)


def candidates(actor: Actor, status: str = CandidateStatus.PENDING) -> QuerySet[MatchCandidate]:
    """Candidate pairs in ``status`` whose two people the actor may both update."""
    if not actor.can("linkage", "adjudicate"):
        return MatchCandidate.objects.none()
    pending = status == CandidateStatus.PENDING
    visible = _adjudicable(actor, include_merged=not pending)
    found = (MatchCandidate.objects.filter(status=status, person_a__in=visible.values("id"),
                                           person_b__in=visible.values("id"))
             .select_related("person_a", "person_b", "decided_by"))
    return found.order_by("-probability", "created_at") if pending else found.order_by("-decided_at")


@dataclass
class Side:
    person: Person
    names: list
    nationalities: list
    documents: list | None  # None: the actor may not see this section
    phones: list | None
    sources: list  # (list_ref, row_ref) the record came from
    facility: str


@dataclass
class CandidateView:
    candidate: MatchCandidate
    a: Side
    b: Side
    evidence: list = field(default_factory=list)
    merge: Merge | None = None


def _side(actor: Actor, person: Person) -> Side:
    sections = policy.person_sections(actor, person)
    return Side(
        person=person,
        names=list(PersonName.objects.filter(person=person)),
        nationalities=sorted(policy.nationalities_of(person)),
        documents=list(person.documents.all()) if "person_documents" in sections else None,
        phones=list(person.phones.all()) if "person_contacts" in sections else None,
        sources=list(ImportedRow.objects.filter(person=person).values_list("list_ref", "row_ref")),
        facility=person.current_facility.name if person.current_facility_id else "",
    )


def candidate_get(*, actor: Actor, candidate_id) -> CandidateView:
    """One pair side by side with its evidence; both people's records count as viewed."""
    if not actor.can("linkage", "adjudicate"):
        raise NotFound()
    try:
        candidate = MatchCandidate.objects.get(pk=candidate_id)
    except (MatchCandidate.DoesNotExist, ValueError, DjangoValidationError):
        raise NotFound() from None
    visible = _adjudicable(actor, include_merged=True).select_related("current_facility", "compound")
    people = {p.pk: p for p in visible.filter(pk__in=[candidate.person_a_id, candidate.person_b_id])}
    if len(people) != 2:
        audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type="match_candidate", subject_id=candidate.pk,
                     outcome="denied")
        raise NotFound()
    a, b = people[candidate.person_a_id], people[candidate.person_b_id]
    view = CandidateView(candidate=candidate, a=_side(actor, a), b=_side(actor, b), evidence=candidate.evidence,
                         merge=Merge.objects.filter(candidate=candidate).order_by("-created_at").first())
    audit.record_many(actor, [EventDraft(AuditEventType.MATCH_VIEWED, "match_candidate", str(candidate.pk), p.pk)
                              for p in (a, b)])
    return view


def survivor_of(*, actor: Actor, person_id):
    """The record a merged record now lives in, if the actor may see both; else None."""
    try:
        merged = policy.people(actor, "view", include_merged=True).filter(pk=person_id, merged_into__isnull=False).first()
    except (ValueError, DjangoValidationError):
        return None
    if merged is None or not policy.people(actor, "view").filter(pk=merged.merged_into_id).exists():
        return None
    return merged.merged_into_id


def merges_of(*, actor: Actor, person: Person) -> list[Merge]:
    """Merges that involve a person the actor is already looking at (for the record's page)."""
    if not (actor.can("linkage", "adjudicate") or policy.may(actor, "person", "update", person)):
        return []
    return list(Merge.objects.filter(Q(survivor=person) | Q(merged=person))
                .select_related("survivor", "merged", "merged_by", "undone_by").order_by("-created_at"))


def last_runs(actor: Actor, limit: int = 5) -> list[LinkageRun]:
    if not (actor.can("linkage", "run") or actor.can("linkage", "adjudicate")):
        return []
    return list(LinkageRun.objects.select_related("started_by").order_by("-created_at")[:limit])


@dataclass
class IntakeMatch:
    person: Person
    probability: float
    evidence: list


# Search before create favours recall: an officer glances at a weak match, a missed one is a duplicate.
# A record is shown when the evidence alone (without the prior that few records match) is at least
# 16 to 1 for the same person: a name written the same way is enough, a shared birth year is not.
INTAKE_MIN_EVIDENCE = 4.0
_CANDIDATES_PER_QUERY = 25
_FEW_CANDIDATES = 5


def _people_with_tokens(tokens: list[str], at_least: int) -> list:
    """Ids of people whose names carry at least ``at_least`` of ``tokens`` exactly (index only)."""
    if not tokens:
        return []
    return list(NameToken.objects.filter(token__in=tokens).values("person_id")
                .annotate(parts=Count("token", distinct=True)).filter(parts__gte=at_least)
                .order_by("-parts").values_list("person_id", flat=True)[:_CANDIDATES_PER_QUERY * 4])


def intake_matches(*, actor: Actor, names: list[str], date_of_birth=None, dob_precision: str = "unknown",
                   sex: str | None = None, nationality: str | None = None, document_number: str = "",
                   phone: str = "", limit: int = 8) -> list[IntakeMatch]:
    """Existing records a new intake may duplicate, scored by the linkage model, best first."""
    from analytics.linkage import realtime
    from analytics.linkage.records import features
    from analytics.names import query_tokens
    from crossing.linkage.sources import registry_frame
    from crossing.registry.search import search_people

    visible = policy.people(actor, "list")
    by_document = actor.can("person_documents", "view")
    found: list = []
    for name in (n for n in names if n and len(n.strip()) >= 2):
        tokens = list(dict.fromkeys(query_tokens(name)[:6]))
        # Every part written exactly so: the most specific candidates, from the token index alone.
        found += _people_with_tokens(tokens, len(tokens))
        if len(set(found)) < _FEW_CANDIDATES:
            # A misspelt or unfinished part: prefix search, then any two parts, then any one.
            found += list(search_people(visible, name, by_document=False).order_by()
                          .values_list("id", flat=True)[:_CANDIDATES_PER_QUERY])
            if len(tokens) > 2:
                found += _people_with_tokens(tokens, 2)
            if len(set(found)) < _FEW_CANDIDATES:
                found += _people_with_tokens(tokens[:4], 1)
    if by_document and len(document_number.strip()) >= 5:
        found += list(search_people(visible, document_number, by_document=True).order_by()
                      .values_list("id", flat=True)[:10])
    # The token index knows nothing of access: only people the actor may list go further. No
    # ordering: sorting by name made SQLite walk the whole name index of a large registry.
    ranked = list(dict.fromkeys(found))[:400]
    allowed = set(visible.filter(pk__in=ranked).order_by().values_list("id", flat=True))
    ids = [pid for pid in ranked if pid in allowed][:80]
    if not ids:
        return []
    candidates = registry_frame(Person.objects.filter(pk__in=ids)).to_dict("records")
    if not by_document:  # who may not read documents cannot probe them through match scores
        for c in candidates:
            c["document"] = None
    record = features(unique_id="new", names=[n for n in names if n], date_of_birth=date_of_birth,
                      dob_precision=dob_precision, sex=sex, nationality=nationality,
                      documents=[document_number] if by_document and document_number else None,
                      phones=[phone] if phone else None)
    trained = LinkageRun.objects.filter(trained=True).exclude(model={}).order_by("-created_at").first()
    scored = realtime.score(record, candidates, model_json=trained.model if trained else None,
                            cache_key=str(trained.pk) if trained else "priors")
    wanted = [s for s in scored if sum(e.weight for e in s.evidence) >= INTAKE_MIN_EVIDENCE][:limit]
    people = {str(p.pk): p for p in visible.filter(pk__in=[s.id_r if s.id_l == "new" else s.id_l for s in wanted])}
    matches = []
    for s in wanted:
        pid = s.id_r if s.id_l == "new" else s.id_l
        if pid in people:
            matches.append(IntakeMatch(people[pid], s.probability, [e.as_dict() for e in s.evidence]))
    if matches:
        audit.record(actor, AuditEventType.PERSON_SEARCHED, subject_type="person",
                     extra={"purpose": "intake matches", "person_ids": [str(m.person.pk) for m in matches]})
    return matches
