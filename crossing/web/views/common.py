"""Helpers every HTML view uses: the current actor, and NotFound mapped to a plain 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from crossing.access.policy import Actor, actor_for
from crossing.core.errors import ApplicationError, NotFound, PermissionDeniedError


def actor_of(request) -> Actor:
    return actor_for(request.user)


def protected(view):
    """Login required; NotFound (missing or forbidden) becomes the same 404 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None
        except PermissionDeniedError as exc:
            # Visible but not permitted: a plain 403 (the service has audited the refusal).
            raise PermissionDenied(exc.message) from None

    return wrapper


def perform(request, action, success: str) -> bool:
    """Run a service for a form post: a success message, or the domain error as a message.

    NotFound propagates, so a missing or forbidden record is the same 404 as everywhere.
    """
    try:
        action()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
