"""Write services run in one transaction; a refused attempt is audited *after* the rollback, so
the denied attempt stays on record while nothing else of the call does."""

from __future__ import annotations

import functools

from django.db import transaction
from django.utils.translation import gettext as _

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.core.errors import NotFound, PermissionDeniedError


def refused(exc: Exception, actor, subject_type: str, subject_id, person_id, action: str) -> Exception:
    """Mark ``exc`` as a refusal to be audited by ``service``; returns it for ``raise``."""
    exc.refusal = (actor, subject_type, str(subject_id)[:64], person_id, action)
    return exc


def service(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except (NotFound, PermissionDeniedError) as exc:
            refusal = getattr(exc, "refusal", None)
            if refusal is not None:
                actor, subject_type, subject_id, person_id, action = refusal
                if actor.user is not None and actor.user.is_authenticated:
                    audit.record(actor, AuditEventType.ACCESS_DENIED, subject_type=subject_type,
                                 subject_id=subject_id, person_id=person_id, outcome="denied",
                                 extra={"action": action})
            raise

    return wrapper


def person_for(actor, person_id, resource: str, action: str):
    """The person, when the actor may see them and holds ``resource.action`` for them; otherwise
    NotFound (missing or hidden) or PermissionDeniedError (visible, not granted), both marked as
    refusals for ``service`` to audit."""
    try:
        person = policy.access_person(actor, person_id)
    except NotFound as exc:
        raise refused(exc, actor, "person", person_id, None, f"{resource}.{action}") from None
    if not policy.may(actor, resource, action, person):
        raise refused(PermissionDeniedError(_("You may not do this for this person.")), actor, "person", person.pk,
                      person.pk, f"{resource}.{action}")
    return person


def require(actor, resource: str, action: str, subject_type: str, subject_id=None) -> None:
    """``policy.require`` for write services: NotFound without the grant, marked as a refusal of
    ``subject_type``/``subject_id`` for ``service`` to audit."""
    if not actor.can(resource, action):
        raise refused(NotFound(), actor, subject_type, subject_id or "", None, f"{resource}.{action}")
