"""The access layer: the one place that decides who may read or write which protected records.

Views, the API and the CLI obtain protected querysets and objects only from here (a test scans
them for direct ``.objects`` use on protected models). Order of precedence, strongest first:
1. the deny list (per user or per agency) hides a person from every path, break-glass included;
2. role grants, each limited by its scope (own, team, agency, nationality, facility, all);
3. break-glass grants open one person for a short time, audited and alerted.
Missing and forbidden both raise ``NotFound`` so that probing reveals nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from crossing.access.events import AuditEventType
from crossing.access.models import AuditEvent, BreakGlassGrant, DenyEntry, Membership
from crossing.access.permissions import PERSON_SECTIONS, SENSITIVE_RESOURCES, Scope
from crossing.core.errors import NotFound
from crossing.registry.models import Compound, HoldingFacility, Person, PersonNationality

_MALFORMED = (ValueError, TypeError, ValidationError)


@dataclass(frozen=True)
class MembershipContext:
    agency_id: object
    agency_name: str
    team_id: object
    facility_id: object
    nationality: str
    role_name: str
    is_supervisor: bool


@dataclass
class Actor:
    """Who is acting, with their current memberships and grants resolved once per request."""

    user: object
    memberships: list[MembershipContext] = field(default_factory=list)
    grants: dict[tuple[str, str], list[tuple[str, MembershipContext]]] = field(default_factory=dict)
    attempted_username: str = ""

    @property
    def primary_agency_name(self) -> str:
        return self.memberships[0].agency_name if self.memberships else ""

    @property
    def agency_ids(self) -> set:
        return {m.agency_id for m in self.memberships}

    @property
    def is_supervisor(self) -> bool:
        return any(m.is_supervisor for m in self.memberships)

    @property
    def needs_two_factor(self) -> bool:
        return any(resource in SENSITIVE_RESOURCES for resource, _ in self.grants)

    def can(self, resource: str, action: str) -> bool:
        return bool(self.grants.get((resource, action)))


def actor_for(user) -> Actor:
    """Resolve a user's current memberships and grants (one query for memberships, one for grants)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor(user=user)
    cached = getattr(user, "_crossing_actor", None)
    if cached is not None:
        return cached
    now = timezone.now()
    memberships = (
        Membership.objects.filter(user=user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .select_related("agency", "role")
        .prefetch_related("role__grants")
        .order_by("created_at")
    )
    actor = Actor(user=user)
    grants: dict = defaultdict(list)
    for m in memberships:
        ctx = MembershipContext(
            agency_id=m.agency_id, agency_name=m.agency.name, team_id=m.team_id, facility_id=m.facility_id,
            nationality=m.caseload_nationality, role_name=m.role.name, is_supervisor=m.role.is_supervisor,
        )
        actor.memberships.append(ctx)
        for g in m.role.grants.all():
            grants[(g.resource, g.action)].append((g.scope, ctx))
    actor.grants = dict(grants)
    user._crossing_actor = actor
    return actor


def _scope_q(actor: Actor, scope: str, ctx: MembershipContext) -> Q | None:
    """The records one grant reaches; None when the membership lacks the context the scope needs."""
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.OWN:
        return Q(created_by_id=actor.user.pk)
    if scope == Scope.TEAM:
        return Q(owner_team_id=ctx.team_id) if ctx.team_id else None
    if scope == Scope.AGENCY:
        return Q(owner_agency_id=ctx.agency_id)
    if scope == Scope.NATIONALITY:
        if not ctx.nationality:
            return None
        return Q(id__in=PersonNationality.objects.filter(country=ctx.nationality).values("person_id"))
    if scope == Scope.FACILITY:
        return Q(current_facility_id=ctx.facility_id) if ctx.facility_id else None
    return None


def _grant_q(actor: Actor, resource: str, action: str) -> Q | None:
    combined = None
    for scope, ctx in actor.grants.get((resource, action), []):
        part = _scope_q(actor, scope, ctx)
        if part is None:
            continue
        if not part:  # Q() means every record
            return Q()
        combined = part if combined is None else combined | part
    return combined


def _denied_person_ids(actor: Actor):
    return DenyEntry.objects.filter(revoked_at__isnull=True).filter(
        Q(user_id=actor.user.pk) | Q(agency_id__in=actor.agency_ids)
    ).values("person_id")


def _break_glass_person_ids(actor: Actor):
    return BreakGlassGrant.objects.filter(user_id=actor.user.pk, expires_at__gt=timezone.now()).values("person_id")


def people(actor: Actor, action: str = "view", *, include_merged: bool = False) -> QuerySet[Person]:
    """Every person the actor may perform ``action`` on ("view", "list", "update", "export").

    Records merged into another are left out unless ``include_merged``: the survivor stands for
    them everywhere, and only the merge record (crossing.linkage) reaches them.
    """
    if actor.user is None or not actor.user.is_authenticated:
        return Person.objects.none()
    q = _grant_q(actor, "person", action)
    if action in {"view", "list"}:
        glass = Q(id__in=_break_glass_person_ids(actor))
        q = glass if q is None else (q if not q else q | glass)
    if q is None:
        return Person.objects.none()
    found = Person.objects.filter(q).exclude(id__in=_denied_person_ids(actor))
    return found if include_merged else found.filter(merged_into__isnull=True)


def people_for(actor: Actor, resource: str, action: str, *, include_merged: bool = False) -> QuerySet[Person]:
    """The people the actor may see *and* holds ``resource.action`` on (``may`` for a whole set, in
    one query), for figures and lists of a section: a role may see a person more widely than, say,
    their repatriation case. Break-glass access opens a person's page, not a section's figures."""
    q = _grant_q(actor, resource, action)
    if q is None:
        return Person.objects.none()
    visible = people(actor, "view", include_merged=include_merged)
    return visible if not q else visible.filter(q)


def access_person(actor: Actor, person_id, action: str = "view") -> Person:
    """The person, or NotFound for missing and forbidden alike (denied attempts are audited)."""
    from crossing.access import audit

    try:
        person = people(actor, action).select_related(
            "current_facility", "compound", "rescue_event", "owner_agency"
        ).get(pk=person_id)
    except (Person.DoesNotExist, *_MALFORMED):  # a malformed id is "missing" too
        if actor.user is not None and actor.user.is_authenticated:
            audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type="person", subject_id=str(person_id)[:64],
                         outcome="denied", extra={"action": action})
        raise NotFound() from None
    return person


def is_denied(actor: Actor, person: Person) -> bool:
    return DenyEntry.objects.filter(person=person, revoked_at__isnull=True).filter(
        Q(user_id=actor.user.pk) | Q(agency_id__in=actor.agency_ids)
    ).exists()


def _person_in_scope(actor: Actor, scope: str, ctx: MembershipContext, person: Person, nationalities: set[str]) -> bool:
    if scope == Scope.ALL:
        return True
    if scope == Scope.OWN:
        return person.created_by_id == actor.user.pk
    if scope == Scope.TEAM:
        return bool(ctx.team_id) and person.owner_team_id == ctx.team_id
    if scope == Scope.AGENCY:
        return person.owner_agency_id == ctx.agency_id
    if scope == Scope.NATIONALITY:
        return bool(ctx.nationality) and ctx.nationality in nationalities
    if scope == Scope.FACILITY:
        return bool(ctx.facility_id) and person.current_facility_id == ctx.facility_id
    return False


def nationalities_of(person: Person) -> set[str]:
    """The person's nationalities (ISO alpha-3)."""
    # Remembered on the instance: one page asks several questions about the same person.
    if not hasattr(person, "_crossing_nationalities"):
        person._crossing_nationalities = set(person.nationalities.values_list("country", flat=True))
    return person._crossing_nationalities


def may(actor: Actor, resource: str, action: str, person: Person) -> bool:
    """Whether a grant for (resource, action) reaches this person (already known to be visible)."""
    nationalities = nationalities_of(person)
    return any(
        _person_in_scope(actor, scope, ctx, person, nationalities)
        for scope, ctx in actor.grants.get((resource, action), [])
    )


def person_sections(actor: Actor, person: Person) -> set[str]:
    """The sensitive sections of a visible person the actor may read."""
    nationalities = nationalities_of(person)
    sections = {
        section
        for section in PERSON_SECTIONS
        if any(_person_in_scope(actor, s, c, person, nationalities) for s, c in actor.grants.get((section, "view"), []))
    }
    if has_break_glass(actor, person):
        sections |= {"person_documents", "person_contacts", "person_vulnerabilities", "person_placement"}
    return sections


def has_break_glass(actor: Actor, person: Person) -> bool:
    if not hasattr(person, "_crossing_break_glass"):
        person._crossing_break_glass = BreakGlassGrant.objects.filter(
            user_id=actor.user.pk, person=person, expires_at__gt=timezone.now()).exists()
    return person._crossing_break_glass


def require(actor: Actor, resource: str, action: str) -> None:
    """Raise NotFound unless the actor holds the permission at some scope (for whole pages)."""
    if not actor.can(resource, action):
        raise NotFound()


def facilities(actor: Actor, action: str = "view") -> QuerySet[HoldingFacility]:
    q = None
    for scope, ctx in actor.grants.get(("facility", action), []):
        if scope in (Scope.ALL, Scope.NATIONALITY):
            return HoldingFacility.objects.all()
        part = None
        if scope == Scope.FACILITY and ctx.facility_id:
            part = Q(id=ctx.facility_id)
        elif scope in (Scope.AGENCY, Scope.TEAM, Scope.OWN):
            part = Q(operator_id=ctx.agency_id)
        if part is not None:
            q = part if q is None else q | part
    return HoldingFacility.objects.filter(q) if q is not None else HoldingFacility.objects.none()


def access_facility(actor: Actor, facility_id, action: str = "view") -> HoldingFacility:
    try:
        return facilities(actor, action).get(pk=facility_id)
    except (HoldingFacility.DoesNotExist, *_MALFORMED):
        raise NotFound() from None


def compounds(actor: Actor, action: str = "view") -> QuerySet[Compound]:
    return Compound.objects.all() if actor.can("compound", action) else Compound.objects.none()


def access_compound(actor: Actor, compound_id, action: str = "view") -> Compound:
    try:
        return compounds(actor, action).get(pk=compound_id)
    except (Compound.DoesNotExist, *_MALFORMED):
        raise NotFound() from None


def audit_events(actor: Actor) -> QuerySet[AuditEvent]:
    """Auditors read the log; agency-scoped auditors only their agency's actors' events."""
    q = None
    for scope, ctx in actor.grants.get(("audit", "view"), []):
        if scope == Scope.ALL:
            return AuditEvent.objects.all()
        part = Q(actor_agency=ctx.agency_name)
        q = part if q is None else q | part
    return AuditEvent.objects.filter(q) if q is not None else AuditEvent.objects.none()


def person_access_log(actor: Actor, person: Person) -> QuerySet[AuditEvent]:
    """Who viewed or changed this person ("who viewed this record"); nothing without the grant."""
    if not may(actor, "person_access_log", "view", person):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(person_id=person.pk).order_by("-seq")
