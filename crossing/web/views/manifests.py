"""A movement's passenger manifest as a password-protected download (PDF or XLSX). Thin: the
service checks the grants on every passenger, the password and the format, and audits the export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crossing.core.errors import ApplicationError, NotFound
from crossing.repatriation.manifests import export_manifest
from crossing.web.views.common import actor_of, protected


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("web:dashboard")


@protected
@require_POST
@never_cache
def manifest(request, movement_id):
    """POST format (pdf|xlsx) and password (12+ characters): the encrypted file as an attachment."""
    try:
        filename, content_type, content = export_manifest(
            actor=actor_of(request), movement_id=movement_id, fmt=request.POST.get("format", ""),
            password=request.POST.get("password", ""))
    except NotFound:
        raise  # missing or forbidden: the same 404 as everywhere
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
