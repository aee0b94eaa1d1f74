"""Writes to access state: logins and lock-out, tokens, deny list, break-glass, role changes.

Every function here records its audit event in the same transaction as its change.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.models import (
    AccountSecurity,
    Agency,
    Alert,
    ApiToken,
    BreakGlassGrant,
    DenyEntry,
    Grant,
    Membership,
    Role,
)
from crossing.access.permissions import is_valid
from crossing.access.policy import Actor, actor_for, is_denied, people
from crossing.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from crossing.registry.models import Person

# --- logins -----------------------------------------------------------------------------------

def login_is_locked(user) -> bool:
    sec = AccountSecurity.objects.filter(user=user).first()
    return bool(sec and sec.locked_until and sec.locked_until > timezone.now())


@transaction.atomic
def login_failed(*, username: str, user=None) -> None:
    """Count a failure; lock the account at the threshold and alert its supervisors once."""
    anonymous = Actor(user=None, attempted_username=username[:150])
    if user is None:
        audit.record(anonymous, AuditEventType.LOGIN_FAILED, subject_type="user", outcome="denied",
                     extra={"reason": "unknown user"})
        return
    sec, _created = AccountSecurity.objects.select_for_update().get_or_create(user=user)
    now = timezone.now()
    if sec.locked_until and sec.locked_until <= now:
        # A lock that has run out starts a fresh count, so one typo does not lock again at once.
        sec.failed_logins, sec.locked_until = 0, None
    sec.failed_logins += 1
    sec.last_failed_at = now
    newly_locked = False
    if sec.failed_logins >= settings.CROSSING_LOCKOUT_THRESHOLD and not (sec.locked_until and sec.locked_until > now):
        sec.locked_until = now + timedelta(minutes=settings.CROSSING_LOCKOUT_MINUTES)
        newly_locked = True
    sec.save()
    audit.record(anonymous, AuditEventType.LOGIN_FAILED, subject_type="user", subject_id=user.pk, outcome="denied",
                 extra={"failed_logins": sec.failed_logins})
    if newly_locked:
        audit.record(anonymous, AuditEventType.ACCOUNT_LOCKED, subject_type="user", subject_id=user.pk,
                     extra={"minutes": settings.CROSSING_LOCKOUT_MINUTES})
        for agency_id in Membership.objects.filter(user=user).values_list("agency_id", flat=True).distinct():
            # Stored in the language active when the account was locked.
            Alert.objects.create(kind=Alert.Kind.LOCKOUT, agency_id=agency_id,
                                 message=_("Account %(username)s locked after repeated failed logins")
                                 % {"username": user.get_username()})


@transaction.atomic
def login_succeeded(*, user, channel: str = "web") -> None:
    AccountSecurity.objects.update_or_create(user=user, defaults={"failed_logins": 0, "locked_until": None})
    audit.record(actor_for(user), AuditEventType.LOGIN, subject_type="user", subject_id=user.pk, extra={"channel": channel})


def logout_recorded(*, user) -> None:
    audit.record(actor_for(user), AuditEventType.LOGOUT, subject_type="user", subject_id=user.pk)


def two_factor_enrolment_device(*, user) -> TOTPDevice | None:
    """The unconfirmed device a user without a confirmed one enrols (created on first use)."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False)


def two_factor_verify(*, user, code: str, allow_enrolment: bool = False) -> TOTPDevice | None:
    """Check a TOTP code for the web or the API. A wrong code counts like a wrong password
    (lock-out, audit), so codes cannot be guessed; enrolment confirms the pending device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None and allow_enrolment
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or login_is_locked(user) or not device.verify_token(code.strip()):
        login_failed(username=user.get_username(), user=user)
        return None
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor_for(user), AuditEventType.TWO_FACTOR_ENROLLED, subject_type="user", subject_id=user.pk)
    audit.record(actor_for(user), AuditEventType.TWO_FACTOR_VERIFIED, subject_type="user", subject_id=user.pk)
    return device


# --- API tokens -------------------------------------------------------------------------------

def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user, two_factor_verified: bool) -> tuple[str, ApiToken]:
    key = "cx_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=token_hash(key), prefix=key[3:11],
        expires_at=timezone.now() + timedelta(hours=settings.CROSSING_API_TOKEN_HOURS),
        two_factor_verified=two_factor_verified,
    )
    audit.record(actor_for(user), AuditEventType.API_TOKEN_ISSUED, subject_type="api_token", subject_id=token.pk,
                 extra={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()})
    return key, token


# --- deny list --------------------------------------------------------------------------------

def _require_manage(actor: Actor, resource: str) -> None:
    if not actor.can(resource, "manage"):
        raise PermissionDeniedError(_("You may not change access rules."))


@transaction.atomic
def deny_entry_create(*, actor: Actor, person: Person, reason: str, user=None, agency=None) -> DenyEntry:
    _require_manage(actor, "deny_list")
    if not reason.strip():
        raise ValidationFailed(_("A reason is required for a deny-list entry."))
    if (user is None) == (agency is None):
        raise ValidationFailed(_("Bar either one user or one agency."))
    entry = DenyEntry.objects.create(person=person, reason=reason.strip(), user=user, agency=agency, created_by=actor.user)
    audit.record(actor, AuditEventType.DENY_ADDED, subject_type="deny_entry", subject_id=entry.pk, person_id=person.pk,
                 extra={"user": user.pk if user else None, "agency": str(agency.pk) if agency else None})
    return entry


def deny_entry_create_by_reference(*, actor: Actor, reference: str, username: str, agency_id, reason: str) -> DenyEntry:
    """The form-facing variant: resolve the person, user and agency, with clear errors."""
    _require_manage(actor, "deny_list")
    person = people(actor, "view").filter(reference=reference.strip().upper()).first()  # only people in view
    if person is None:
        message = _("No record with that reference.")
        raise ValidationFailed(message, extra={"fields": {"reference": [message]}})
    user = None
    if username.strip():
        user = get_user_model().objects.filter(username=username.strip()).first()
        if user is None:
            message = _("No such user.")
            raise ValidationFailed(message, extra={"fields": {"username": [message]}})
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    return deny_entry_create(actor=actor, person=person, reason=reason, user=user, agency=agency)


def deny_entry_revoke_by_id(*, actor: Actor, entry_id) -> None:
    _require_manage(actor, "deny_list")
    entry = DenyEntry.objects.filter(pk=entry_id, revoked_at__isnull=True).first()
    if entry is None:
        raise NotFound()
    deny_entry_revoke(actor=actor, entry=entry)


def break_glass_review_by_id(*, actor: Actor, grant_id, justified: bool) -> None:
    grant = BreakGlassGrant.objects.filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    break_glass_review(actor=actor, grant=grant, justified=justified)


@transaction.atomic
def deny_entry_revoke(*, actor: Actor, entry: DenyEntry) -> None:
    _require_manage(actor, "deny_list")
    entry.revoked_at = timezone.now()
    entry.save(update_fields=["revoked_at", "updated_at"])
    audit.record(actor, AuditEventType.DENY_REVOKED, subject_type="deny_entry", subject_id=entry.pk, person_id=entry.person_id)


# --- break-glass ------------------------------------------------------------------------------

def break_glass_open(*, actor: Actor, reference: str, reason: str) -> BreakGlassGrant:
    """Open one person for a few hours. Deny-listed people stay closed; supervisors are alerted.

    A refused attempt is audited too (outside the refused transaction): probing references
    through emergency access leaves a trace.
    """
    if not actor.can("break_glass", "use"):
        raise PermissionDeniedError(_("Your role does not include emergency access."))
    if len(reason.strip()) < 15:
        raise ValidationFailed(_("Explain the emergency in a full sentence (at least 15 characters)."))
    person = Person.objects.filter(reference=reference.strip().upper()).first()
    if person is None or is_denied(actor, person):
        audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type="break_glass", outcome="denied",
                     extra={"reference": reference.strip().upper()[:20], "reason": reason.strip()[:300]})
        raise NotFound(_("No record with that reference is available for emergency access."))
    return _break_glass_grant(actor=actor, person=person, reason=reason)


@transaction.atomic
def _break_glass_grant(*, actor: Actor, person: Person, reason: str) -> BreakGlassGrant:
    grant = BreakGlassGrant.objects.create(
        user=actor.user, person=person, reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=settings.CROSSING_BREAK_GLASS_HOURS),
    )
    audit.record(actor, AuditEventType.BREAK_GLASS_GRANTED, subject_type="break_glass", subject_id=grant.pk,
                 person_id=person.pk, extra={"reason": grant.reason, "expires_at": grant.expires_at.isoformat()})
    # Alerts and the e-mail are in the language of the user who opened the record.
    message = _("Break-glass access by %(username)s to %(reference)s") % {
        "username": actor.user.get_username(), "reference": person.reference}
    subject = _("Crossing: break-glass access")
    body = message + "\n" + _("Reason recorded in the audit log.")
    for agency_id in actor.agency_ids | {person.owner_agency_id}:
        Alert.objects.create(kind=Alert.Kind.BREAK_GLASS, agency_id=agency_id, break_glass=grant, message=message)
    recipients = _supervisor_emails(actor.agency_ids | {person.owner_agency_id})
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))
    # The actor's cached grants must see the new grant within this request.
    if hasattr(actor.user, "_crossing_actor"):
        del actor.user._crossing_actor
    return grant


def _supervisor_emails(agency_ids) -> list[str]:
    """Supervisors of the agencies involved, and every supervisor who reviews break-glass everywhere."""
    User = get_user_model()
    everywhere = Grant.objects.filter(resource="break_glass", action="review", scope="all").values("role_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(memberships__agency_id__in=agency_ids, memberships__role__is_supervisor=True)
                | Q(memberships__role_id__in=everywhere))
        .exclude(email="").values_list("email", flat=True).distinct()
    )


@transaction.atomic
def break_glass_review(*, actor: Actor, grant: BreakGlassGrant, justified: bool) -> None:
    if not actor.can("break_glass", "review") or grant.user_id == actor.user.pk:
        raise PermissionDeniedError(_("A supervisor other than the user reviews emergency access."))
    grant.review = BreakGlassGrant.Review.JUSTIFIED if justified else BreakGlassGrant.Review.NOT_JUSTIFIED
    grant.reviewed_by, grant.reviewed_at = actor.user, timezone.now()
    if not justified:
        grant.expires_at = min(grant.expires_at, timezone.now())
    grant.save()
    Alert.objects.filter(break_glass=grant, acknowledged_at__isnull=True).update(
        acknowledged_by=actor.user, acknowledged_at=timezone.now()
    )
    audit.record(actor, AuditEventType.BREAK_GLASS_REVIEWED, subject_type="break_glass", subject_id=grant.pk,
                 person_id=grant.person_id, extra={"review": grant.review})


# --- roles and grants (administrators) --------------------------------------------------------

@transaction.atomic
def grant_set(*, actor: Actor | None, role: Role, resource: str, action: str, scope: str | None) -> None:
    """Add, change or (scope None) remove one grant; every change is an audited permission change."""
    if actor is not None and not actor.can("access_admin", "manage") and not getattr(actor.user, "is_superuser", False):
        raise PermissionDeniedError(_("Only administrators change roles."))
    if not is_valid(resource, action):
        raise ValidationFailed(_("%(permission)s is not a permission.") % {"permission": f"{resource}.{action}"})
    before = Grant.objects.filter(role=role, resource=resource, action=action).first()
    if scope is None:
        if before:
            before.delete()
    else:
        Grant.objects.update_or_create(role=role, resource=resource, action=action, defaults={"scope": scope})
    audit.record(actor, AuditEventType.PERMISSION_CHANGED, subject_type="role", subject_id=role.pk,
                 extra={"grant": f"{resource}.{action}", "from": before.scope if before else None, "to": scope})


def permission_change_recorded(*, actor, subject_type: str, subject_id, change: str, detail: dict | None = None) -> None:
    """Audit a change made through the administrator's interface (roles, memberships, agencies)."""
    audit.record(actor, AuditEventType.PERMISSION_CHANGED, subject_type=subject_type, subject_id=subject_id,
                 extra={"change": change, **(detail or {})})
