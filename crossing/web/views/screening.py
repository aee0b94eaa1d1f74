"""Screening in the browser: the queue, the interview with its live recommendation, the decision and
its second review, age verification, and the person-level acts (MDT identification, lifting a hold,
a suspect record, the child-protection referral). Thin: services and selectors decide."""

from datetime import date

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.screening import engine
from crossing.access import policy
from crossing.screening import selectors, services
from crossing.screening.models import (
    AgeBasis,
    AnswerStatus,
    Coercion,
    DirectConsequence,
    EvidenceSource,
    ExploitationType,
    MdtStatus,
    Outcome,
    ReferralStatus,
    ScreeningStatus,
)
from crossing.web.views.common import actor_of, perform, protected

_TRISTATE = {"yes": True, "no": False, "unknown": None, "": None}


def _catalogue_language() -> str:
    return {"zh-hans": "zh_Hans", "th": "th"}.get((get_language() or "en").lower(), "en")


@protected
def queue(request):
    actor = actor_of(request)
    if not (actor.can("screening", "conduct") or actor.can("screening", "review")):
        policy.require(actor, "screening", "conduct")
    waiting, total = selectors.awaiting_screening(actor)
    return render(request, "web/screening/queue.html", {
        "waiting": waiting, "total": total, "reviews": selectors.awaiting_review(actor),
        "referrals": selectors.open_child_referrals(actor), "can_conduct": actor.can("screening", "conduct"),
        "can_oversee": actor.can("screening", "oversee"),
    })


@protected
@require_POST
def start(request, person_id):
    actor = actor_of(request)
    screening = services.start_screening(actor=actor, person_id=person_id)
    return redirect("web:screening-interview", screening_id=screening.pk)


def _details_from(post) -> dict:
    details = {}
    for name in ("interview_language", "interpreter_language", "location", "age", "age_basis", "exploitation_type"):
        if name in post:
            details[name] = post.get(name, "").strip()
    if "interpreter_qualified" in post:
        details["interpreter_qualified"] = _TRISTATE.get(post.get("interpreter_qualified"), None)
    if "details-present" in post:  # a checkbox is absent from the post when unticked
        details["possible_minor"] = post.get("possible_minor") == "on"
    if "willing_to_testify" in post:
        details["willing_to_testify"] = _TRISTATE.get(post.get("willing_to_testify"), None)
    return details


def _answers_from(post) -> tuple[dict, dict]:
    """The answers in a post (``a-CODE-status``, ``p-CODE-present`` and their fields); the service
    checks the codes against the screening's own catalogue."""
    answers, participation = {}, {}
    for key in post:
        kind, _sep, rest = key.partition("-")
        code, _sep, field = rest.partition("-")
        if kind == "a" and field == "status":
            answers[code] = {
                "status": post.get(key), "evidence_source": post.get(f"a-{code}-source", ""),
                "note": post.get(f"a-{code}-note", ""), "provisional": post.get(f"a-{code}-prov") == "on",
            }
        elif kind == "p" and field == "present":
            participation[code] = {
                "present": _TRISTATE.get(post.get(key), None),
                "explained_by_coercion": post.get(f"p-{code}-coercion") or "unknown",
                "evidence_source": post.get(f"p-{code}-source", ""), "note": post.get(f"p-{code}-note", ""),
            }
    return answers, participation


def _rows(view, language):
    """The indicator rows grouped by dimension, with the saved answer of each code."""
    unanswered = set(view.explanation.get("unanswered_that_matter", []))
    groups = []
    for dim, name in view.catalogue.dimensions.items():
        rows = []
        for ind in view.catalogue.in_dimension(dim):
            rows.append({"ind": ind, "prompts": ind.prompt(language), "answer": view.answers.get(ind.code),
                         "matters": ind.code in unanswered})
        verdict = next((d for d in view.explanation["dimensions"] if d["dimension"] == name), None)
        groups.append({"code": dim, "name": name, "rows": rows, "verdict": verdict})
    parts = [{"ind": p, "prompts": p.prompt(language), "answer": view.participation.get(p.code)}
             for p in view.catalogue.participation.values()]
    return groups, parts


def _interview_context(view, user_id):
    language = _catalogue_language()
    groups, parts = _rows(view, language)
    latest = view.decisions[0] if view.decisions else None
    explanation = view.explanation
    return {
        "v": view, "s": view.screening, "p": view.person, "groups": groups, "parts": parts,
        "x": explanation, "follows": services.FOLLOWS[explanation["recommendation"]],
        "latest_decision": latest,
        "statuses": AnswerStatus.choices, "sources": EvidenceSource.choices, "coercion": Coercion.choices,
        "age_bases": AgeBasis.choices, "exploitation_types": ExploitationType.choices, "outcomes": Outcome.choices,
        "can_decide": view.may_decide and (
            view.screening.status == ScreeningStatus.IN_PROGRESS
            or (view.screening.status == ScreeningStatus.DECIDED and latest is not None
                and latest.evaluation.recommendation != explanation["recommendation"])),
        # The officer who decided cannot be their own second reviewer (the service refuses it too).
        "can_review": (view.may_review and latest is not None and latest.review_status == "pending"
                       and latest.decided_by_id != user_id),
        "suspect_qualification": engine.SUSPECT_QUALIFICATION,
    }


@protected
def interview(request, screening_id):
    actor = actor_of(request)
    if request.method == "POST":
        answers, participation = _answers_from(request.POST)
        done = perform(request, lambda: services.save_answers(
            actor=actor, screening_id=screening_id, details=_details_from(request.POST), answers=answers,
            participation=participation), _("Answers saved."))
        if done or not request.htmx:
            return redirect("web:screening-interview", screening_id=screening_id)
    view = selectors.interview(actor, screening_id)
    return render(request, "web/screening/interview.html", _interview_context(view, actor.user.pk))


@protected
@require_POST
def answer(request, screening_id):
    """htmx: save what changed and send back the recommendation panel."""
    actor = actor_of(request)
    answers, participation = _answers_from(request.POST)
    error = ""
    try:
        services.save_answers(actor=actor, screening_id=screening_id, details=_details_from(request.POST),
                              answers=answers, participation=participation)
    except services.ValidationFailed as exc:
        error = exc.message
    # A saved answer is audited as such; when nothing was saved, the panel sent back is a read.
    view = selectors.interview(actor, screening_id, audit_read=bool(error))
    context = _interview_context(view, actor.user.pk)
    context["error"] = error
    return render(request, "web/screening/_recommendation.html", context)


@protected
@require_POST
def decide(request, screening_id):
    actor = actor_of(request)
    perform(request, lambda: services.decide(
        actor=actor, screening_id=screening_id, outcome=request.POST.get("outcome", ""),
        reason=request.POST.get("reason", ""), participation_findings=request.POST.get("participation_findings", "")),
        _("Decision recorded."))
    return redirect("web:screening-interview", screening_id=screening_id)


@protected
@require_POST
def review(request, decision_id):
    actor = actor_of(request)
    confirm = request.POST.get("confirm") == "yes"
    screening_id = request.POST.get("screening", "")
    perform(request, lambda: services.review(actor=actor, decision_id=decision_id, confirm=confirm,
                                             note=request.POST.get("note", "")),
            _("Decision confirmed.") if confirm else _("Decision returned to the officer."))
    if screening_id:
        return redirect("web:screening-interview", screening_id=screening_id)
    return redirect("web:screening-queue")


@protected
@require_POST
def verify_age(request, screening_id):
    actor = actor_of(request)
    perform(request, lambda: services.verify_age(actor=actor, screening_id=screening_id,
                                                 age=request.POST.get("age", ""),
                                                 basis=request.POST.get("age_basis", AgeBasis.DOCUMENT)),
            _("Age recorded and the answers evaluated again; both results are kept."))
    return redirect("web:screening-interview", screening_id=screening_id)


def _date(value: str):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@protected
@require_POST
def identification(request, person_id):
    actor = actor_of(request)
    decided_on = _date(request.POST.get("decided_on", ""))

    def act():
        if decided_on is None:
            raise services.ValidationFailed(_("Give the date of the MDT's decision."))
        services.record_identification(actor=actor, person_id=person_id, status=request.POST.get("status", ""),
                                       decided_on=decided_on, team=request.POST.get("team", ""),
                                       reasons=request.POST.get("reasons", ""))

    perform(request, act, _("The MDT's identification was recorded."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def lift_hold(request, hold_id):
    actor = actor_of(request)
    person_id = request.POST.get("person", "")
    perform(request, lambda: services.lift_hold(actor=actor, hold_id=hold_id, reason=request.POST.get("reason", "")),
            _("The hold was lifted."))
    return redirect("web:person-detail", person_id=person_id) if person_id else redirect("web:dashboard")


@protected
@require_POST
def suspect_record(request, person_id):
    actor = actor_of(request)
    acts = []
    for i in range(1, 4):
        description = request.POST.get(f"act-{i}-description", "").strip()
        if description:
            acts.append({"description": description, "offence": request.POST.get(f"act-{i}-offence", ""),
                         "direct_consequence": request.POST.get(f"act-{i}-consequence", "undetermined"),
                         "reasoning": request.POST.get(f"act-{i}-reasoning", "")})
    perform(request, lambda: services.open_suspect_record(
        actor=actor, person_id=person_id, acts=acts, summary=request.POST.get("summary", ""),
        hold_override_reason=request.POST.get("hold_override_reason", "")), _("The suspect record was opened."))
    return redirect("web:person-detail", person_id=person_id)


@protected
@require_POST
def child_referral(request, referral_id):
    actor = actor_of(request)
    fields = {name: request.POST.get(name, "") for name in (
        "referred_to", "guardian_name", "guardian_relationship", "guardian_agency", "note", "status")
        if name in request.POST}
    if request.POST.get("guardian_appointed_on"):
        fields["guardian_appointed_on"] = _date(request.POST["guardian_appointed_on"])
    perform(request, lambda: services.update_child_referral(actor=actor, referral_id=referral_id, fields=fields),
            _("The child-protection referral was updated."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("web:screening-queue")


# Choices the person page needs for its screening forms.
PERSON_PAGE_CHOICES = {
    "mdt_statuses": MdtStatus.choices, "consequences": DirectConsequence.choices,
    "referral_statuses": ReferralStatus.choices,
}
