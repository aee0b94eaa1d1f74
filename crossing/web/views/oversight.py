"""Audit log, break-glass requests and reviews, the deny list."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crossing.access import audit, policy, services
from crossing.access import selectors as access_selectors
from crossing.access.events import AuditEventType
from crossing.core.errors import ApplicationError, NotFound, PermissionDeniedError
from crossing.web.csv_export import csv_download
from crossing.web.forms import BreakGlassForm, DenyForm
from crossing.web.views.common import actor_of, protected


@protected
def audit_log(request):
    actor = actor_of(request)
    policy.require(actor, "audit", "view")
    events = policy.audit_events(actor).order_by("-seq")
    user = request.GET.get("user", "").strip()
    if user:
        events = events.filter(actor_username=user)
    etype = request.GET.get("type", "")
    if etype.isdigit():
        events = events.filter(event_type=int(etype))
    if request.GET.get("outcome") == "denied":
        events = events.exclude(outcome="allowed")
    page = Paginator(events, 50).get_page(request.GET.get("page", 1))
    verify = audit.verify() if request.GET.get("verify") else None
    audit.record(actor, AuditEventType.AUDIT_VERIFIED if verify else AuditEventType.AUDIT_VIEWED, subject_type="audit",
                 extra={"filters": {"user": user, "type": etype}, **({"intact": verify.ok} if verify else {})})
    return render(request, "web/audit/log.html", {
        "page": page, "types": [(t.value, t.label) for t in AuditEventType], "user_filter": user, "type_filter": etype,
        "verify": verify, "can_export": actor.can("audit", "export"),
    })


@protected
def audit_export(request):
    actor = actor_of(request)
    policy.require(actor, "audit", "export")
    audit.record(actor, AuditEventType.AUDIT_EXPORTED, subject_type="audit")
    fields = ["seq", "event_time", "event_type", "actor_username", "actor_agency", "subject_type", "subject_id",
              "person_id", "outcome", "ip", "hash"]
    rows = policy.audit_events(actor).order_by("seq").values_list(*fields).iterator(chunk_size=5000)
    return csv_download(fields, rows, "crossing-audit.csv")


@protected
def break_glass(request):
    actor = actor_of(request)
    policy.require(actor, "break_glass", "use")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass_open(actor=actor, reference=form.cleaned_data["reference"], reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Emergency access granted until %(t)s. Supervisors were alerted.") % {"t": grant.expires_at.strftime("%H:%M")})
            return redirect("web:person-detail", person_id=grant.person_id)
    return render(request, "web/access/break_glass.html", {"form": form})


@protected
def oversight(request):
    actor = actor_of(request)
    can_review = actor.can("break_glass", "review")
    can_deny = actor.can("deny_list", "manage")
    if not (can_review or can_deny):
        policy.require(actor, "break_glass", "review")
    deny_form = DenyForm(request.POST or None, agencies=access_selectors.agencies()) if can_deny else None
    if request.method == "POST" and deny_form is not None and deny_form.is_valid():
        d = deny_form.cleaned_data
        try:
            services.deny_entry_create_by_reference(actor=actor, reference=d["reference"], username=d["username"],
                                                    agency_id=d["agency"] or None, reason=d["reason"])
        except ApplicationError as exc:
            fields = exc.extra.get("fields", {})
            for field, errors in fields.items():
                deny_form.add_error(field, errors[0])
            if not fields:
                deny_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The deny-list entry is in force."))
            return redirect("web:oversight")
    context = {
        "can_review": can_review, "can_deny": can_deny, "deny_form": deny_form,
        "grants": access_selectors.break_glass_grants(actor=actor)[:100],
        "alerts": access_selectors.open_alerts(actor=actor)[:50],
        "entries": access_selectors.deny_entries(actor=actor)[:200],
    }
    return render(request, "web/access/oversight.html", context)


@protected
@require_POST
def break_glass_review(request, grant_id):
    try:
        services.break_glass_review_by_id(actor=actor_of(request), grant_id=grant_id, justified=request.POST.get("justified") == "1")
    except PermissionDeniedError:
        raise NotFound() from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("web:oversight")


@protected
@require_POST
def deny_revoke(request, entry_id):
    try:
        services.deny_entry_revoke_by_id(actor=actor_of(request), entry_id=entry_id)
    except PermissionDeniedError:
        raise NotFound() from None
    return redirect("web:oversight")
