"""One mapping from domain errors to HTTP for the REST API (HackSoft exception handler)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crossing.core.errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        detail = response.data
        message = detail.get("detail", _("Invalid input.")) if isinstance(detail, dict) else _("Invalid input.")
        response.data = {"message": str(message), "extra": {"fields": detail} if isinstance(detail, dict) else {}}
    return response
