"""Screening oversight for supervisors (queue, throughput, outcomes given the same recommendation,
overrides, pending reviews) and the two screening exports. Thin: crossing.screening.oversight and
crossing.screening.exports decide and audit; NotFound (no grant) becomes the usual 404."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from crossing.screening import exports
from crossing.screening import oversight as oversight_selectors
from crossing.screening.models import Outcome
from crossing.web.views.common import actor_of, protected


@protected
@require_GET
def oversight(request):
    actor = actor_of(request)
    data = oversight_selectors.overview(actor)  # requires screening.oversee
    return render(request, "web/screening/oversight.html", {
        "o": data,
        "outcomes": Outcome.choices,
        "flag_points": oversight_selectors.FLAG_DIFFERENCE_POINTS,
        "flag_min": oversight_selectors.FLAG_MIN_DECISIONS,
        "list_limit": oversight_selectors.LIST_LIMIT,
        "can_export": actor.can("screening", "export") and actor.can("screening_statement", "view"),
        "can_statistics": actor.can("screening", "statistics"),
    })


def _download(text: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@protected
@require_GET
def export_htcds(request):
    records = exports.htcds_records(actor_of(request))  # requires screening.export + screening_statement.view
    stamp = timezone.localdate().isoformat()
    return _download(exports.htcds_json(records), "application/json; charset=utf-8",
                     f"crossing-screening-htcds-{stamp}.json")


@protected
@require_GET
def export_ctdc(request):
    table = exports.ctdc_table(actor_of(request))  # requires screening.statistics
    stamp = timezone.localdate().isoformat()
    return _download(exports.ctdc_csv(table), "text/csv; charset=utf-8", f"crossing-screening-ctdc-{stamp}.csv")
