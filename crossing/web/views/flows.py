"""Money flows in the browser (issue 7): the backbone ranking and alerts, a payment traced as a flow
diagram, an account's page, imports, and the triage of the public's complaints.

Thin: reads go through crossing.flows.selectors (NotFound for anyone without ``flows.view``, the same
404 as a missing record), writes through crossing.flows.services. Account ids and transaction ids
travel as query parameters: they may contain any character a bank or a chain uses.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.flows.detectors import TYPOLOGIES
from crossing.core.errors import ApplicationError, NotFound, ValidationFailed
from crossing.flows import formats, interop, selectors, services
from crossing.flows.models import AccountKind, ComplaintStatus
from crossing.web import flow_diagram
from crossing.web.views.common import actor_of, perform, protected


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Transactions file (CSV, or XLSX for a bank statement)"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[
        ("canonical", gettext_lazy("Canonical: txn_id, timestamp, from_account, to_account, amount, currency")),
        ("tron", gettext_lazy("Block explorer export (TRON token transfers)")),
        ("bank-csv", gettext_lazy("Bank statement of one account"))])
    account = forms.CharField(label=gettext_lazy("Statement's account (bank statements without an account column)"),
                              max_length=128, required=False)
    currency = forms.CharField(label=gettext_lazy("Statement's currency (bank statements without a currency column)"),
                               max_length=10, required=False)
    source = forms.CharField(label=gettext_lazy("Who supplied it (a bank, an exchange)"), max_length=100, required=False)


class AccountForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AccountKind.choices)
    label = forms.CharField(label=gettext_lazy("Label (an exchange's or casino's name; never a victim's)"),
                            max_length=200, required=False)
    entity_id = forms.CharField(label=gettext_lazy("Network entity id (leave empty to match by identifier)"),
                                max_length=128, required=False)
    reason = forms.CharField(label=gettext_lazy("Why (source of this knowledge)"), max_length=200)


def _trace_url(txn_id: str) -> str:
    return reverse("web:flows-trace") + "?" + urlencode({"txn": txn_id})


def _account_url(account: str) -> str:
    return reverse("web:flows-account") + "?" + urlencode({"id": account})


@protected
def home(request):
    actor = actor_of(request)
    query = request.GET.get("q", "").strip()
    if query:
        if query.startswith(("complaint:", "C-")) or request.GET.get("kind") == "txn":
            return redirect(_trace_url(query if not query.startswith("C-") else f"complaint:{query}"))
        return redirect(_account_url(query))
    if request.method == "POST" and request.POST.get("action") == "detect":
        perform(request, lambda: services.run_detection(actor=actor), _("The detectors ran over every transaction."))
        return redirect("web:flows")
    found = selectors.alerts(actor, limit=0)
    return render(request, "web/flows/home.html", {
        "ranking": selectors.ranking(actor, top=25), "run": found["run"], "summary": found["summary"],
        "may_import": actor.can("flows", "import"), "may_triage": actor.can("flows", "triage"),
    })


@protected
def alerts(request):
    actor = actor_of(request)
    typology = request.GET.get("typology", "")
    typology = typology if typology in TYPOLOGIES else ""
    found = selectors.alerts(actor, typology=typology, account=request.GET.get("account", "").strip(), limit=500)
    return render(request, "web/flows/alerts.html", {**found, "typology": typology, "typologies": TYPOLOGIES})


@protected
def trace(request):
    actor = actor_of(request)
    txn_id = request.GET.get("txn", "").strip()
    rule = request.GET.get("rule", "fifo")
    rule = rule if rule in ("fifo", "proportional") else "fifo"
    if not txn_id:
        raise NotFound()
    result = selectors.trace(actor, txn_id, rule=rule)
    cashouts = {c["account"] for c in result["cashouts"]}
    nodes, links, width, height = flow_diagram.layout(result["seed"], result["flows"], cashouts,
                                                      set(result["flagged"]))
    for node in nodes:
        node.url = _account_url(node.account)
        node.short = flow_diagram.short(node.account)
        node.typologies = result["flagged"].get(node.account, [])
        node.behind = result["behind"].get(node.account)
    return render(request, "web/flows/trace.html", {
        "t": result, "nodes": nodes, "links": links, "width": width, "height": height, "rule": rule,
        "behind": result["behind"], "flagged": result["flagged"], "can_export": actor.can("flows", "export"),
    })


@protected
def trace_ftm(request):
    """The trace as FollowTheMoney JSON lines (flows.export; audited), for Aleph or a case file."""
    txn_id = request.GET.get("txn", "").strip()
    rule = request.GET.get("rule", "fifo")
    if not txn_id or rule not in ("fifo", "proportional"):
        raise NotFound()
    buffer = io.StringIO()
    interop.export_trace_ftm(buffer, actor=actor_of(request), txn_id=txn_id, rule=rule)
    response = HttpResponse(buffer.getvalue(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trace-ftm.jsonl"'
    response["Cache-Control"] = "no-store"
    return response


@protected
def account(request):
    actor = actor_of(request)
    account_id = request.GET.get("id", "").strip()
    if not account_id:
        raise NotFound()
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            perform(request, lambda: services.set_accounts(actor=actor, rows=[{
                "account": account_id, "kind": data["kind"], "label": data["label"],
                "entity_id": data["entity_id"]}], reason=data["reason"]), _("Account details saved."))
            return redirect(_account_url(account_id))
    page = selectors.account(actor, account_id)
    known = page["known"]
    form = AccountForm(initial={"kind": known.kind if known else AccountKind.ORDINARY,
                                "label": known.label if known else "", "entity_id": known.entity_id if known else ""})
    return render(request, "web/flows/account.html", {**page, "form": form, "may_edit": actor.can("flows", "edit")})


@protected
def import_view(request):
    actor = actor_of(request)
    if not actor.can("flows", "import"):
        raise NotFound()
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.CROSSING_IMPORT_MAX_MB * 1024 * 1024  # bigger files go through the CLI
        if upload.size > limit:
            messages.error(request, _("The file is %(size).1f MB; the limit for uploads is %(limit)s MB.")
                           % {"size": upload.size / 1e6, "limit": settings.CROSSING_IMPORT_MAX_MB})
        else:
            data = upload.read()
            try:
                report = services.import_file(actor=actor, data=data, name=upload.name, fmt=form.cleaned_data["format"],
                                              account=form.cleaned_data["account"].strip(),
                                              currency=form.cleaned_data["currency"].strip(),
                                              source=form.cleaned_data["source"].strip())
            except ValidationFailed as exc:
                messages.error(request, exc.message)
                problems = exc.extra.get("errors", [])[:formats.MAX_ERRORS]
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                if report.already_imported:
                    messages.info(request, _("This file was imported before; nothing changed."))
                else:
                    messages.success(request, _("%(rows)d rows read: %(new)d new transactions, %(known)d already stored.")
                                     % {"rows": report.rows, "new": report.new_rows, "known": report.known_rows})
                return redirect("web:flows")
    return render(request, "web/flows/import.html", {"form": form, "problems": problems})


@protected
def complaints(request):
    actor = actor_of(request)
    status = request.GET.get("status", ComplaintStatus.NEW)
    status = status if status in ComplaintStatus.values else ComplaintStatus.NEW
    return render(request, "web/flows/complaints.html", {
        "complaints": selectors.complaints(actor, status=status), "status": status,
        "statuses": ComplaintStatus.choices})


@protected
def complaint(request, complaint_id):
    actor = actor_of(request)
    if request.method == "POST":
        post = request.POST
        done = perform(request, lambda: services.decide_complaint(
            actor=actor, complaint_id=complaint_id, decision=post.get("decision", ""),
            txn_id=post.get("txn_id", "").strip(), reason=post.get("reason", "")), _("Complaint decided."))
        if done:
            return redirect("web:flows-complaints")
    item, candidates = selectors.complaint(actor, complaint_id)
    return render(request, "web/flows/complaint.html", {"c": item, "candidates": candidates})
