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
