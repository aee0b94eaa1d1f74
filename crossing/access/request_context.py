"""The client address of the request being served, so audit rows can carry it without threading it
through every service call. Set by RequestContextMiddleware; empty for the CLI."""

from contextvars import ContextVar

_ip: ContextVar[str] = ContextVar("crossing_request_ip", default="")


def set_ip(value: str):
    return _ip.set(value)


def reset_ip(token) -> None:
    _ip.reset(token)


def current_ip() -> str:
    return _ip.get()


def client_ip(request) -> str:
    """The client's address. Behind a TLS proxy (BEHIND_TLS_PROXY) it is the last address the
    proxy appended to X-Forwarded-For; the earlier ones come from the client and prove nothing."""
    from django.conf import settings

    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]
