"""Upload a handover list: validate (dry run) first, then import all or nothing."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from crossing.access import policy
from crossing.core.errors import ApplicationError
from crossing.registry.importing.columns import CANONICAL_COLUMNS, parse_mapping
from crossing.registry.importing.service import import_list
from crossing.web.forms import ImportForm
from crossing.web.views.common import actor_of, protected


@protected
def import_view(request):
    actor = actor_of(request)
    policy.require(actor, "person", "import")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.CROSSING_IMPORT_MAX_MB * 1024 * 1024
        try:
            if upload.size > limit:
                raise ApplicationError(
                    _("the file is %(size).1f MB; the limit for uploads is %(limit)s MB. Split the list or use "
                      "'crossing registry import'.") % {"size": upload.size / 1e6, "limit": settings.CROSSING_IMPORT_MAX_MB})
            mapping = parse_mapping([line for line in form.cleaned_data["mapping"].splitlines() if line.strip()])
            report = import_list(actor=actor, data=upload.read(), filename=upload.name, mapping=mapping,
                                 dry_run="commit" not in request.POST, encoding=form.cleaned_data["encoding"] or None,
                                 max_bytes=limit)
        except ValueError as exc:
            error = str(exc)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "web/people/import.html", {
        "form": form, "report": report, "error": error, "columns": CANONICAL_COLUMNS,
        "max_mb": settings.CROSSING_IMPORT_MAX_MB,
    })
