"""Record linkage in the browser: the queue of possible duplicates, a pair side by side with its
evidence, merge and unmerge, and linking two uploaded lists. Thin: services and selectors decide."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossing.access import policy
from crossing.core.errors import ApplicationError, ValidationFailed
from crossing.core.spreadsheet_safety import neutralise_row
from crossing.linkage import reports, selectors, services
from crossing.linkage.models import CandidateStatus
from crossing.linkage.sources import read_list
from crossing.web.forms import DecisionForm, LinkListsForm, UnmergeForm
from crossing.web.views.common import actor_of, perform, protected

QUEUE_PAGE = 100


@protected
def queue(request):
    actor = actor_of(request)
    if not (actor.can("linkage", "adjudicate") or actor.can("linkage", "run")):
        policy.require(actor, "linkage", "adjudicate")
    if request.method == "POST" and "run" in request.POST:
        # Synchronous: a registry of tens of thousands takes seconds; larger ones use the command line.
        perform(request, lambda: services.dedupe_registry(actor=actor), _("Duplicate search finished."))
        return redirect("web:linkage-queue")
    status = request.GET.get("status", CandidateStatus.PENDING)
    if status not in CandidateStatus.values:
        status = CandidateStatus.PENDING
    found = selectors.candidates(actor, status)
    return render(request, "web/linkage/queue.html", {
        "candidates": list(found[:QUEUE_PAGE]), "total": found.count(), "status": status,
        "statuses": CandidateStatus.choices, "runs": selectors.last_runs(actor),
        "can_run": actor.can("linkage", "run"),
    })


@protected
def candidate(request, candidate_id):
    actor = actor_of(request)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = perform(request, lambda: services.decide(
                actor=actor, candidate_id=candidate_id, decision=data["decision"], survivor_id=data["survivor"],
                note=data["note"]), _("Decision recorded."))
            if done:
                return redirect("web:linkage-candidate", candidate_id=candidate_id)
    view = selectors.candidate_get(actor=actor, candidate_id=candidate_id)
    fields = [
        (_("Names"), [", ".join(n.full_name for n in s.names) for s in (view.a, view.b)]),
        (_("Sex"), [s.person.get_sex_display() for s in (view.a, view.b)]),
        (_("Date of birth"), [_dob(s.person) for s in (view.a, view.b)]),
        (_("Nationality"), [" ".join(s.nationalities) for s in (view.a, view.b)]),
        (_("Compound"), [s.person.compound.name if s.person.compound_id else "" for s in (view.a, view.b)]),
        (_("Held at"), [s.facility for s in (view.a, view.b)]),
        (_("Documents"), [_hidden_or(s.documents, lambda d: f"{d.number} ({d.issuing_country})") for s in (view.a, view.b)]),
        (_("Phone numbers"), [_hidden_or(s.phones, lambda p: p.e164 or p.number) for s in (view.a, view.b)]),
        (_("From lists"), [", ".join(f"{lr} #{rr}" for lr, rr in s.sources) for s in (view.a, view.b)]),
        (_("Registered"), [s.person.created_at.date().isoformat() for s in (view.a, view.b)]),
    ]
    return render(request, "web/linkage/candidate.html", {
        "v": view, "fields": fields, "unmerge_form": UnmergeForm(),
        "total_weight": sum(e["weight"] for e in view.evidence),
    })


def _dob(person) -> str:
    if not person.date_of_birth:
        return ""
    value = person.date_of_birth
    return {"year": f"{value:%Y}", "month": f"{value:%Y-%m}"}.get(person.dob_precision, value.isoformat())


def _hidden_or(items, show) -> str:
    if items is None:
        return _("(not visible to your role)")
    return ", ".join(show(i) for i in items)


@protected
def unmerge(request, merge_id):
    actor = actor_of(request)
    form = UnmergeForm(request.POST or None)
    candidate_id = request.POST.get("candidate", "")
    if request.method == "POST" and form.is_valid():
        perform(request, lambda: services.unmerge(actor=actor, merge_id=merge_id, reason=form.cleaned_data["reason"]),
                _("Merge undone: both records stand as before."))
    elif request.method == "POST":
        messages.error(request, _("Say why the merge is undone."))
    return redirect("web:linkage-candidate", candidate_id=candidate_id) if candidate_id else redirect("web:linkage-queue")


@protected
def link_lists(request):
    actor = actor_of(request)
    policy.require(actor, "linkage", "link_lists")
    form = LinkListsForm(request.POST or None, request.FILES or None)
    report, error, problems = None, None, []
    if request.method == "POST" and form.is_valid():
        limit = settings.CROSSING_IMPORT_MAX_MB * 1024 * 1024
        try:
            lists = []
            for key in ("list_a", "list_b"):
                upload = form.cleaned_data[key]
                if upload.size > limit:
                    raise ValidationFailed(_("%(file)s is larger than %(limit)s MB: use 'crossing linkage link'.")
                                           % {"file": upload.name, "limit": settings.CROSSING_IMPORT_MAX_MB})
                lists.append(read_list(upload.read(), upload.name))
            report = services.link_lists(actor=actor, left=lists[0], right=lists[1],
                                         threshold=form.cleaned_data["threshold"])
        except ApplicationError as exc:
            error = exc.message
            problems = (getattr(exc, "extra", None) or {}).get("problems", [])
        if report is not None and "download" in request.POST:
            return _csv_response("pairs.csv", reports.PAIRS_HEADER, reports.pair_rows(report))
        if report is not None and "download_report" in request.POST:
            return _csv_response("link-report.csv", reports.REPORT_HEADER, reports.report_rows(report))
    pairs = [(p, report.left.rows[p.id_l], report.right.rows[p.id_r]) for p in report.pairs[:500]] if report else []
    return render(request, "web/linkage/link.html", {"form": form, "report": report, "error": error,
                                                     "problems": problems[:500], "pairs": pairs})


def _csv_response(filename: str, header, rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(neutralise_row(list(r)) for r in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
