"""Compounds and holding facilities."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crossing.access import audit, policy
from crossing.access.events import AuditEventType
from crossing.core.errors import ApplicationError
from crossing.registry import stats
from crossing.registry.models import ConditionKind, ConditionSeverity
from crossing.registry.services.facilities import condition_report, headcount_record
from crossing.web.forms import HeadcountForm
from crossing.web.views.common import actor_of, perform, protected


@protected
def compound_list(request):
    actor = actor_of(request)
    policy.require(actor, "compound", "view")
    compounds = policy.compounds(actor).prefetch_related("aliases")
    return render(request, "web/places/compounds.html", {"compounds": compounds})


@protected
def compound_detail(request, compound_id):
    actor = actor_of(request)
    compound = policy.access_compound(actor, compound_id)
    audit.record(actor, AuditEventType.COMPOUND_VIEWED, subject_type="compound", subject_id=compound.pk)
    people_here = policy.people(actor, "list").filter(compound=compound).count() if actor.can("person", "list") else None
    return render(request, "web/places/compound.html", {
        "c": compound, "aliases": compound.aliases.all(), "infrastructure": compound.infrastructure.all(), "people_here": people_here,
    })


@protected
def facility_list(request):
    actor = actor_of(request)
    policy.require(actor, "facility", "view")
    counts = stats.occupancy(actor=actor)  # one query for every facility
    rows = [{"f": f, "occ": counts[f.pk], "total": sum(counts[f.pk].values())}
            for f in policy.facilities(actor, "view").select_related("operator")]
    return render(request, "web/places/facilities.html", {"rows": rows})


@protected
def facility_detail(request, facility_id):
    actor = actor_of(request)
    facility = policy.access_facility(actor, facility_id, "view")
    form = None
    if actor.can("facility", "headcount") and policy.facilities(actor, "headcount").filter(pk=facility.pk).exists():
        form = HeadcountForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = headcount_record(actor=actor, facility_id=facility.pk, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                if count.discrepancy:
                    messages.error(request, _("Headcount differs from the registry by %(n)+d. Check for absconding and record moves.") % {"n": count.discrepancy})
                else:
                    messages.success(request, _("Headcount matches the registry."))
                return redirect("web:facility-detail", facility_id=facility.pk)
    if form is not None and request.method == "POST" and "condition_kind" in request.POST:
        perform(request, lambda: condition_report(
            actor=actor, facility_id=facility.pk, kind=request.POST.get("condition_kind", ""),
            severity=request.POST.get("severity", ""), note=request.POST.get("condition_note", "")),
            _("Conditions recorded."))
        return redirect("web:facility-detail", facility_id=facility.pk)
    audit.record(actor, AuditEventType.FACILITY_VIEWED, subject_type="facility", subject_id=facility.pk)
    occ = stats.facility_occupancy(facility, actor=actor)
    return render(request, "web/places/facility.html", {
        "f": facility, "occ": occ, "total": sum(occ.values()), "headcounts": facility.headcounts.all()[:14], "form": form,
        "can_list": actor.can("person", "list"),
        "conditions": facility.conditions.all()[:30], "condition_kinds": ConditionKind.choices,
        "severities": ConditionSeverity.choices,
    })
