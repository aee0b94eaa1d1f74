"""Domain errors. Services raise these; the API and views map them to HTTP once."""

from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A request that cannot be carried out for a domain reason the user can act on."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(ApplicationError):
    """Missing and forbidden answer the same, so a probe learns nothing (Zulip access_stream_by_id)."""

    status_code = 404

    def __init__(self, message: str | None = None):
        super().__init__(_("Not found.") if message is None else message)


class PermissionDeniedError(ApplicationError):
    """The actor may see the record but not perform this action on it."""

    status_code = 403


class ValidationFailed(ApplicationError):
    """Input rejected; ``extra["errors"]`` lists each problem with its row and column when known."""

    status_code = 400
