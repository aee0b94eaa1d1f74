"""People: list and search, intake with search-before-create, the person page, moves, export."""


from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossing.access import policy
from crossing.core import countries
from crossing.core.errors import ApplicationError
from crossing.linkage import selectors as linkage_selectors
from crossing.registry import selectors
from crossing.registry.drafts import ContactDraft, DocumentDraft, NameDraft, PersonDraft, PlacementDraft
from crossing.registry.importing.reader import Problem
from crossing.registry.importing.rows import parse_date
from crossing.registry.models import Custodian, PersonStatus
from crossing.registry.services import people as people_services
from crossing.repatriation import selectors as repatriation_selectors
from crossing.screening import selectors as screening_selectors
from crossing.web.csv_export import csv_download
from crossing.web.forms import AddNameForm, CustodianForm, IntakeForm, MoveForm
from crossing.web.views import screening as screening_views
from crossing.web.views.common import actor_of, perform, protected


def _filters(request) -> selectors.PersonFilters:
    g = request.GET
    return selectors.PersonFilters(q=g.get("q", "")[:200], nationality=g.get("nationality", "")[:3], status=g.get("status", ""),
                                   facility=g.get("facility", ""), compound=g.get("compound", ""))


@protected
def person_list(request):
    actor = actor_of(request)
    policy.require(actor, "person", "list")
    filters = _filters(request)
    page = selectors.person_list(actor=actor, filters=filters, page=request.GET.get("page", 1))
    context = {
        "page": page, "filters": filters, "statuses": PersonStatus.choices,
        "nationalities": countries.choices(), "facilities": policy.facilities(actor, "view"),
        "compounds": policy.compounds(actor, "view"), "can_export": actor.can("person", "export"),
        "querystring": request.GET.copy().urlencode() if request.GET else "",
        # NP-3: the hold shows wherever the person appears.
        "holds": screening_selectors.holds_for(p.pk for p in page.object_list),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "web/people/_results.html", context)
    return render(request, "web/people/list.html", context)


@protected
def person_detail(request, person_id):
    actor = actor_of(request)
    survivor_id = linkage_selectors.survivor_of(actor=actor, person_id=person_id)
    if survivor_id is not None:
        messages.info(request, _("That record was merged into this one; its names, documents and history are here."))
        return redirect("web:person-detail", person_id=survivor_id)
    view = selectors.person_get(actor=actor, person_id=person_id)
    move_form = None
    if view.can_move:
        move_form = MoveForm(facilities=policy.facilities(actor, "view"), statuses=PersonStatus.choices)
    return render(request, "web/people/detail.html", {
        "v": view, "p": view.person, "move_form": move_form,
        "name_form": AddNameForm() if view.can_update else None,
        "custodian_choices": Custodian.choices,
        "nationality_names": [countries.country_name(c) for c in view.nationalities],
        "merges": linkage_selectors.merges_of(actor=actor, person=view.person),
        "sc": screening_selectors.status_for(actor, view.person), **screening_views.PERSON_PAGE_CHOICES,
        "rc": repatriation_selectors.case_for_person(actor, view.person),
        "hold_choices": repatriation_selectors.HOLD_CHOICES,
        "may_file_lead": actor.can("network", "contribute"),
    })


@protected
def person_access_log(request, person_id):
    person, events = selectors.person_access_log(actor=actor_of(request), person_id=person_id)
    return render(request, "web/people/access_log.html", {"p": person, "events": events})


@protected
@require_POST
def person_move(request, person_id):
    actor = actor_of(request)
    form = MoveForm(request.POST, facilities=policy.facilities(actor, "view"), statuses=PersonStatus.choices)
    if form.is_valid():
        facility = None
        if form.cleaned_data["facility"]:
            facility = policy.access_facility(actor, form.cleaned_data["facility"], "view")
        perform(request, lambda: people_services.person_move(
            actor=actor, person_id=person_id, facility=facility, reason=form.cleaned_data["reason"],
            status=form.cleaned_data["status"] or None,
            hold_override_reason=form.cleaned_data["hold_override_reason"]), _("The move was recorded."))
    else:
        messages.error(request, _("A reason is required."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def person_add_name(request, person_id):
    form = AddNameForm(request.POST)
    if form.is_valid():
        perform(request, lambda: people_services.person_add_name(
            actor=actor_of(request), person_id=person_id, **form.cleaned_data), _("The name was added."))
    else:
        messages.error(request, _("Enter the name and its kind."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def document_custodian(request, person_id, document_id):
    form = CustodianForm(request.POST)
    if form.is_valid():
        perform(request, lambda: people_services.document_set_custodian(
            actor=actor_of(request), person_id=person_id, document_id=document_id,
            custodian=form.cleaned_data["custodian"]), _("The document's custodian was recorded."))
    return redirect("web:person-detail", person_id=person_id)


def _intake_lookups(actor):
    return {"compounds": policy.compounds(actor, "view"), "facilities": policy.facilities(actor, "view")}


def _draft_from(form: IntakeForm, actor) -> PersonDraft:
    d = form.cleaned_data
    problems: list[Problem] = []
    dob, precision = parse_date(d["date_of_birth"] or "", column="date_of_birth", row=0, problems=problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ApplicationError(errors[0].message, extra={"fields": {"date_of_birth": [errors[0].message]}})
    names = []
    if d["full_name"].strip():
        names.append(NameDraft(d["full_name"].strip(), kind="passport"))
    if d["native_name"].strip():
        names.append(NameDraft(d["native_name"].strip(), kind="native", language=d["language"]))
    if d["compound_name"].strip():
        names.append(NameDraft(d["compound_name"].strip(), kind="compound"))
    placements = []
    if d["facility"]:
        facility = policy.access_facility(actor, d["facility"], "view")
        placements.append(PlacementDraft(facility.pk, timezone.now(), reason="intake"))
    compound_id = policy.access_compound(actor, d["compound"]).pk if d["compound"] else None
    return PersonDraft(
        names=names, sex=d["sex"], date_of_birth=dob, dob_precision=precision, age_estimate=d["age_estimate"],
        nationalities=[d["nationality"]] if d["nationality"] else [],
        languages=[(d["language"], d["interpreter_needed"])] if d["language"] else [],
        documents=[DocumentDraft(d["passport_number"].strip(), issuing_country=d["nationality"] or "",
                                 custodian=d["document_custodian"])] if d["passport_number"].strip() else [],
        contacts=[ContactDraft(d["contact_name"].strip(), d["contact_relationship"].strip(), d["contact_phone"],
                               d["contact_consent"])] if d["contact_name"].strip() else [],
        vulnerabilities=list(d["vulnerabilities"]), compound_id=compound_id, placements=placements,
        status=PersonStatus.AWAITING_SCREENING,
    )


@protected
def person_create(request):
    actor = actor_of(request)
    policy.require(actor, "person", "create")
    form = IntakeForm(request.POST or None, **_intake_lookups(actor))
    matches = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        matches = _matches(actor, d)
        if matches and not d["confirm_new"]:
            messages.error(request, _("Possible existing records were found. Open one, or confirm that this is a new person."))
        else:
            try:
                person = people_services.person_create(actor=actor, draft=_draft_from(form, actor))
            except ApplicationError as exc:
                for field, errs in exc.extra.get("fields", {}).items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
                if not exc.extra.get("fields"):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Registered as %(ref)s.") % {"ref": person.reference})
                return redirect("web:person-detail", person_id=person.pk)
    return render(request, "web/people/intake.html", {"form": form, "matches": matches})


@protected
def person_matches(request):
    """htmx fragment: likely existing records while the officer types."""
    actor = actor_of(request)
    policy.require(actor, "person", "create")
    g = {k: request.GET.get(k, "")[:300] for k in ("full_name", "native_name", "passport_number", "date_of_birth", "sex",
                                                     "nationality", "contact_phone")}
    if not any(len(g[n].strip()) >= 2 for n in ("full_name", "native_name")) and len(g["passport_number"].strip()) < 5:
        return HttpResponse("")
    return render(request, "web/people/_matches.html", {"matches": _matches(actor, g)})


def _matches(actor, values: dict):
    """Search before create: the linkage model scores what the officer has typed so far."""
    problems: list[Problem] = []
    dob, precision = parse_date(str(values.get("date_of_birth") or ""), column="date_of_birth", row=0, problems=problems)
    return linkage_selectors.intake_matches(
        actor=actor, names=[values.get("full_name") or "", values.get("native_name") or ""], date_of_birth=dob,
        dob_precision=precision, sex=values.get("sex") or None, nationality=values.get("nationality") or None,
        document_number=(values.get("passport_number") or "")[:64])


@protected
def person_export(request):
    actor = actor_of(request)
    policy.require(actor, "person", "export")
    header, rows = selectors.person_export_rows(actor=actor, filters=_filters(request))
    return csv_download(header, rows, f"crossing-people-{timezone.localdate():%Y%m%d}.csv")
