"""Network intelligence in the browser (issue 6): search and the organizer ranking, an entity's
statements and links, its recruitment chain and paths, the interactive graph, the timeline, manual
entry, FtM import and the conflict-of-interest alerts.

Thin: reads go through crossing.network.selectors (which refuse anyone without ``network.view`` with
the same 404 as a missing entity), writes through the services. The graph page loads its elements
from the JSON endpoint; the same elements are rendered as a table for keyboards and screen readers.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.network.vocabulary import LINK_SCHEMATA, ROLE_KINDS
from crossing.access import policy
from crossing.core.errors import ApplicationError, NotFound, ValidationFailed
from crossing.network import insider, leads, selectors, services, watchlists
from crossing.network.models import ConflictStatus, SourceKind
from crossing.web.views.common import actor_of, perform, protected

# The schemata an analyst enters by hand, and the property each one's identifier goes into.
ENTITY_SCHEMATA = [
    ("Person", gettext_lazy("Person"), "idNumber"),
    ("Company", gettext_lazy("Company"), "registrationNumber"),
    ("Organization", gettext_lazy("Organization (armed group, syndicate)"), "registrationNumber"),
    ("RealEstate", gettext_lazy("Real estate (compound, building)"), "registrationNumber"),
    ("BankAccount", gettext_lazy("Bank account"), "accountNumber"),
    ("CryptoWallet", gettext_lazy("Crypto wallet"), "publicKey"),
    ("UserAccount", gettext_lazy("User account (messaging, social media)"), "username"),
    ("Document", gettext_lazy("Document (job advertisement, contract)"), "fileName"),
]
IDENTIFIER_PROPERTY = {schema: prop for schema, _label, prop in ENTITY_SCHEMATA}
LINK_CHOICES = [
    ("UnknownLink", gettext_lazy("Field role (recruited, supervises, held at, ...)")),
    ("Ownership", gettext_lazy("Ownership (owner → asset)")),
    ("Directorship", gettext_lazy("Directorship (director → organization)")),
    ("Employment", gettext_lazy("Employment (employer → employee)")),
    ("Membership", gettext_lazy("Membership (organization → member)")),
    ("Family", gettext_lazy("Family")),
    ("Associate", gettext_lazy("Associate")),
]
SEARCH_SCHEMATA = ["Person", "Company", "Organization", "RealEstate", "BankAccount", "CryptoWallet", "UserAccount",
                   "Document"]
MAX_HOPS = 3


class EntityForm(forms.Form):
    schema = forms.ChoiceField(label=gettext_lazy("Kind of entity"),
                               choices=[(s, label) for s, label, _p in ENTITY_SCHEMATA])
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    identifier = forms.CharField(label=gettext_lazy("Identifier (ID, registration, account number, wallet, "
                                                    "username or file name)"), max_length=200, required=False)
    entity_id = forms.CharField(label=gettext_lazy("Entity id (leave empty for a new id)"), max_length=128,
                                required=False)
    source = forms.CharField(label=gettext_lazy("Source (interview, seized device, report)"), max_length=200)
    confidence = forms.FloatField(label=gettext_lazy("Confidence (0 to 1)"), min_value=0, max_value=1, initial=1.0)


class LinkForm(forms.Form):
    schema = forms.ChoiceField(label=gettext_lazy("Kind of link"), choices=LINK_CHOICES)
    role = forms.ChoiceField(label=gettext_lazy("Role (for a field role)"), required=False,
                             choices=[("", "—")] + [(r, r) for r in ROLE_KINDS])
    subject = forms.CharField(label=gettext_lazy("From entity id"), max_length=128)
    object = forms.CharField(label=gettext_lazy("To entity id"), max_length=128)
    date = forms.CharField(label=gettext_lazy("Date (YYYY-MM-DD, optional)"), max_length=32, required=False)
    source = forms.CharField(label=gettext_lazy("Source (interview, seized device, report)"), max_length=200)
    confidence = forms.FloatField(label=gettext_lazy("Confidence (0 to 1)"), min_value=0, max_value=1, initial=1.0)

    def clean(self):
        data = super().clean()
        if data.get("schema") == "UnknownLink" and not data.get("role"):
            self.add_error("role", _("Choose the role of a field link."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("FollowTheMoney JSON lines (one entity a line)"))
    confidence = forms.FloatField(label=gettext_lazy("Confidence (0 to 1)"), min_value=0, max_value=1, initial=1.0)


def _hops(request) -> int:
    try:
        return max(1, min(int(request.GET.get("hops", 1)), MAX_HOPS))
    except (TypeError, ValueError):
        return 1


def _ranking_rows(actor) -> list[dict]:
    rows = []
    for row in selectors.ranking(actor, top=25):
        reasons = row.reasons if isinstance(row.reasons, list | tuple) else [row.reasons]
        rows.append({"id": row.id, "schema": row.schema, "name": row.name, "score": row.score,
                     "reasons": [str(r) for r in reasons if r]})
    return rows


@protected
def home(request):
    actor = actor_of(request)
    query, schema = request.GET.get("q", "").strip(), request.GET.get("schema", "")
    schema = schema if schema in SEARCH_SCHEMATA else ""
    searched = bool(query or schema)
    results = selectors.search(actor, query, schema=schema) if searched else []
    return render(request, "web/network/home.html", {
        "query": query, "schema": schema, "schemata": SEARCH_SCHEMATA, "searched": searched, "results": results,
        "ranking": _ranking_rows(actor), "may_edit": actor.can("network", "edit"),
        "may_import": actor.can("network", "import"),
    })


def _entity_post(request, actor, entity_id):
    post = request.POST
    action = post.get("action", "")
    if action == "merge":
        perform(request, lambda: services.merge(actor=actor, keep_id=entity_id, merge_id=post.get("merge_id", "").strip(),
                                                reason=post.get("reason", "")),
                _("Merged into this entity."))
    elif action == "split":
        perform(request, lambda: services.split(actor=actor, entity_id=entity_id, reason=post.get("reason", "")),
                _("Split: this entity stands on its own again."))
    elif action == "retract":
        try:
            statement_id = int(post.get("statement_id", ""))
        except ValueError:
            raise NotFound() from None
        perform(request, lambda: services.retract(actor=actor, statement_id=statement_id,
                                                  reason=post.get("reason", "")),
                _("Statement retracted: it stays on record, out of the graph."))
    elif action == "sanction":
        try:
            hit_id = int(post.get("hit_id", ""))
        except ValueError:
            raise NotFound() from None
        same = post.get("same") == "1"
        perform(request, lambda: watchlists.decide_hit(actor=actor, hit_id=hit_id, same=same),
                _("Match confirmed.") if same else _("Match dismissed."))
    elif action == "link_person":
        perform(request, lambda: services.link_person(actor=actor, entity_id=entity_id,
                                                      person_id=post.get("person_id", "")),
                _("Linked to the registry record."))
    else:
        raise NotFound()
    return redirect("web:network-entity", entity_id=entity_id)


def _readable(steps: list[dict] | None) -> list[dict] | None:
    """Each step with the edge it was reached by as a sentence: "Recruiter Ko — recruited — ZHANG WEI"."""
    if steps is None:
        return None
    labels = {step["id"]: step["label"] for step in steps}
    rows = []
    for step in steps:
        via = step.get("via")
        text = ""
        if via:
            text = f"{labels.get(via['source'], via['source'])} — {via['label']} — " \
                   f"{labels.get(via['target'], via['target'])}"
        rows.append({**step, "via_text": text, "is_phone": step["schema"] == "Phone"})
    return rows


def _optional(read):
    """A graph read about an entity already shown: an entity outside the graph (a link) has none."""
    try:
        return read()
    except NotFound:
        return None


@protected
def entity(request, entity_id):
    actor = actor_of(request)
    if request.method == "POST":
        selectors.require_view(actor, "network_entity", entity_id)
        return _entity_post(request, actor, entity_id)
    page = selectors.entity_page(actor, entity_id)
    chain = _readable(_optional(lambda: selectors.recruitment_chain(actor, entity_id))) or []
    target = request.GET.get("to", "").strip()[:128]
    path = _readable(_optional(lambda: selectors.shortest_path(actor, entity_id, target))) if target else None
    return render(request, "web/network/entity.html", {
        "p": page, "e": page.entity, "chain": chain if len(chain) > 1 else [], "target": target, "path": path,
        "community": selectors.community(actor, entity_id),
        "may_edit": actor.can("network", "edit"), "may_resolve": actor.can("network", "resolve"),
    })


@protected
def graph(request, entity_id):
    actor = actor_of(request)
    hops = _hops(request)
    data = selectors.neighbourhood(actor, entity_id, hops=hops)
    centre = next((n for n in data["nodes"] if n["id"] == data["centre"]), {"label": entity_id, "schema": ""})
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    edges = [{**e, "source_label": labels.get(e["source"], e["source"]),
              "target_label": labels.get(e["target"], e["target"])} for e in data["edges"]]
    return render(request, "web/network/graph.html", {
        "entity_id": data["centre"], "centre": centre, "hops": hops, "hop_choices": range(1, MAX_HOPS + 1),
        "nodes": data["nodes"], "edges": edges, "truncated": data["truncated"],
        "json_url": reverse("web:network-graph-json", args=["__ID__"]),
        "graph_url": reverse("web:network-graph", args=["__ID__"]),
        "entity_url": reverse("web:network-entity", args=["__ID__"]),
        "strings": {"open": _("Open the entity page"), "expand": _("Expand this node"), "official": _("official"),
                    "sanctioned": _("sanctioned"), "worker": _("registry person"), "failed": _("Could not load."),
                    "truncated": _("Too many connections: only part of the neighbourhood is shown."),
                    "loading": _("Loading…"), "centre": _("Centre here")},
    })


@protected
def graph_json(request, entity_id):
    return JsonResponse(selectors.neighbourhood(actor_of(request), entity_id, hops=_hops(request)))


@protected
def timeline(request, entity_id):
    events = selectors.timeline(actor_of(request), entity_id)
    return render(request, "web/network/timeline.html", {"entity_id": entity_id, "events": events})


def _entity_payload(data: dict) -> dict:
    schema = data["schema"]
    props = {}
    if data["name"].strip():
        props["name"] = [data["name"].strip()]
    if data["phone"].strip():
        props["phone"] = [data["phone"].strip()]
    if data["identifier"].strip():
        props[IDENTIFIER_PROPERTY[schema]] = [data["identifier"].strip()]
    entity_id = data["entity_id"].strip() or f"manual-{uuid.uuid4().hex[:16]}"
    return {"id": entity_id, "schema": schema, "properties": props}


def _link_payload(data: dict) -> dict:
    schema = data["schema"]
    _kind, source_prop, target_prop = LINK_SCHEMATA[schema]
    props = {source_prop: [data["subject"].strip()], target_prop: [data["object"].strip()]}
    if schema == "UnknownLink":
        props["role"] = [data["role"]]
    if data["date"].strip():
        props["date"] = [data["date"].strip()]
    return {"id": f"manual-link-{uuid.uuid4().hex[:16]}", "schema": schema, "properties": props}


@protected
def entity_new(request):
    actor = actor_of(request)
    policy.require(actor, "network", "edit")
    kind = request.POST.get("form", "entity") if request.method == "POST" else ""
    entity_form = EntityForm(request.POST if kind == "entity" else None, prefix="entity")
    link_form = LinkForm(request.POST if kind == "link" else None, prefix="link")
    form = entity_form if kind == "entity" else link_form if kind == "link" else None
    errors = []
    if form is not None and form.is_valid():
        data = form.cleaned_data
        payload = _entity_payload(data) if kind == "entity" else _link_payload(data)
        try:
            services.record_entities(actor=actor, entities=[payload], source=data["source"],
                                     source_kind=SourceKind.MANUAL, confidence=data["confidence"])
        except ValidationFailed as exc:
            errors = exc.extra.get("errors", []) or [{"row": "", "field": "", "message": exc.message}]
        except ApplicationError as exc:
            errors = [{"row": "", "field": "", "message": exc.message}]
        else:
            messages.success(request, _("Recorded."))
            if kind == "entity":
                return redirect("web:network-entity", entity_id=payload["id"])
            return redirect("web:network-entity", entity_id=data["subject"].strip())
    return render(request, "web/network/new.html", {"entity_form": entity_form, "link_form": link_form,
                                                    "errors": errors})


@protected
def import_view(request):
    actor = actor_of(request)
    policy.require(actor, "network", "import")
    form = ImportForm(request.POST or None, request.FILES or None)
    report, errors, error = None, [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.CROSSING_IMPORT_MAX_MB * 1024 * 1024
        try:
            if upload.size > limit:
                raise ApplicationError(_("The file is %(size).1f MB; the limit for uploads is %(limit)s MB.")
                                       % {"size": upload.size / 1e6, "limit": settings.CROSSING_IMPORT_MAX_MB})
            data = upload.read()
            report = services.import_batch(actor=actor, rows=services.parse_ftm_lines(data), data=data,
                                           name=upload.name, source_kind=SourceKind.FTM,
                                           confidence=form.cleaned_data["confidence"])
        except ValidationFailed as exc:
            error, errors = exc.message, exc.extra.get("errors", [])
        except ApplicationError as exc:
            error = exc.message
    return render(request, "web/network/import.html", {"form": form, "report": report, "errors": errors,
                                                       "error": error, "max_mb": settings.CROSSING_IMPORT_MAX_MB})


@protected
def conflicts(request):
    actor = actor_of(request)
    if request.method == "POST":
        selectors.conflict_alerts(actor)  # the same 404 for anyone outside the compartment
        try:
            alert_id = uuid.UUID(request.POST.get("alert_id", ""))
        except ValueError:
            raise NotFound() from None
        approve = request.POST.get("decision") == "approve"
        perform(request, lambda: insider.decide_alert(actor=actor, alert_id=alert_id,
                                                      approve=approve, note=request.POST.get("note", "")),
                _("Alert approved: the deny-list entries are in place.") if approve else _("Alert rejected."))
        return redirect("web:network-conflicts")
    status = request.GET.get("status", ConflictStatus.OPEN)
    status = status if status in ConflictStatus.values else ConflictStatus.OPEN
    return render(request, "web/network/conflicts.html", {
        "alerts": selectors.conflict_alerts(actor, status), "status": status, "statuses": ConflictStatus.choices,
        "may_decide": actor.can("deny_list", "manage"), "may_view": actor.can("network", "view"),
    })


class LeadForm(forms.Form):
    recruiter_name = forms.CharField(label=gettext_lazy("Recruiter's name"), max_length=200, required=False)
    recruiter_phone = forms.CharField(label=gettext_lazy("Recruiter's phone"), max_length=40, required=False)
    recruiter_handle = forms.CharField(label=gettext_lazy("Recruiter's messaging handle"), max_length=100, required=False)
    handle_service = forms.ChoiceField(label=gettext_lazy("App"), required=False, choices=[
        ("", "—"), ("telegram", "Telegram"), ("whatsapp", "WhatsApp"), ("line", "LINE"), ("wechat", "WeChat"),
        ("facebook", "Facebook")])
    advert_text = forms.CharField(label=gettext_lazy("Job advertisement (text)"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    advert_url = forms.URLField(label=gettext_lazy("Job advertisement (link)"), required=False, assume_scheme="https")
    boss_name = forms.CharField(label=gettext_lazy("Boss's name"), max_length=200, required=False)
    compound_name = forms.CharField(label=gettext_lazy("Compound"), max_length=200, required=False)
    consent = forms.BooleanField(label=gettext_lazy("The person agrees that this is shared with the investigators"),
                                 required=False)


@protected
def lead(request, person_id):
    """An officer files what a rescued person said about who recruited and held them; nothing of the
    compartment is shown back."""
    actor = actor_of(request)
    if not actor.can("network", "contribute"):
        raise NotFound()
    person = policy.access_person(actor, person_id)
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if perform(request, lambda: leads.contribute(actor=actor, person_id=person.pk, lead=leads.Lead(
                **form.cleaned_data)), _("Lead filed for the investigators. Thank you.")):
            return redirect("web:person-detail", person_id=person.pk)
    return render(request, "web/network/lead.html", {"form": form, "p": person})
