"""Write services run in one transaction; a refused attempt is audited *after* the rollback, so
the denied attempt stays on record while nothing else of the call does."""

from __future__ import annotations

import functools

from django.db import transaction

from crossing.access import audit
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
