"""The public complaint page: a scam victim reports a loss without an account (issue 7).

Nothing here reads anyone's data: the page shows a form, and after a complaint only its own reference.
Floods are refused before anything is written, with limits counted in the database (so they hold
across server processes): per sender address (kept only as a keyed hash) and in all, per hour. Bots
are turned away by a field people never see (a honeypot) and by a signed form token that must be at
least a few seconds and at most two hours old, so a script that posts without loading the page, or
replays one page many times quickly, fails. No third-party CAPTCHA: the page must work offline and
send nothing to anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from analytics.flows.schema import USD_RATES
from crossing.access.request_context import client_ip
from crossing.core.errors import ValidationFailed
from crossing.flows import services
from crossing.flows.models import Complaint

TOKEN_SALT = "crossing.complaint-form"  # noqa: S105 - a signing namespace, not a secret
MIN_SECONDS = 3
MAX_SECONDS = 2 * 3600
CURRENCIES = sorted(USD_RATES)


class ComplaintForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Date you paid"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=gettext_lazy("Amount"), min_value=0.01, max_digits=18, decimal_places=2)
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=[(c, c) for c in CURRENCIES], initial="THB")
    paid_to_kind = forms.ChoiceField(label=gettext_lazy("You paid into"), widget=forms.RadioSelect, choices=[
        ("bank", gettext_lazy("a bank account")), ("wallet", gettext_lazy("a crypto wallet"))], initial="bank")
    paid_to = forms.CharField(label=gettext_lazy("Account number or wallet address"), max_length=128)
    bank_name = forms.CharField(label=gettext_lazy("Bank (for a bank account)"), max_length=80, required=False)
    scam_type = forms.ChoiceField(label=gettext_lazy("What kind of scam"), required=False, choices=[
        ("", "—"), ("investment", gettext_lazy("Investment or crypto trading")),
        ("romance", gettext_lazy("Romance or friendship")), ("job_or_task", gettext_lazy("Job offer or tasks")),
        ("loan", gettext_lazy("Loan")), ("impersonation", gettext_lazy("Someone posing as police or an official")),
        ("shopping", gettext_lazy("Shopping")), ("other", gettext_lazy("Other"))])
    scammer_contact = forms.CharField(label=gettext_lazy("The phone number or account that contacted you (optional)"),
                                      max_length=120, required=False)
    story = forms.CharField(label=gettext_lazy("What happened (optional; no need to give names)"), required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label=gettext_lazy("How the police may reach you (optional)"), max_length=200,
                              required=False)
    # People never see this field; a bot that fills every field does.
    website = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={
        "autocomplete": "off", "tabindex": "-1", "class": "hp"}))
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("must be a date in the past"))
        return value


def _client_key(request) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), client_ip(request).encode(), hashlib.sha256).hexdigest()[:32]


def _flooded(client_key: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Complaint.objects.filter(created_at__gte=since)
    return (recent.filter(client_key=client_key).count() >= settings.CROSSING_COMPLAINTS_PER_ADDRESS_HOUR
            or recent.count() >= settings.CROSSING_COMPLAINTS_PER_HOUR)


def _fresh_form():
    return ComplaintForm(initial={"token": signing.dumps({"t": timezone.now().timestamp()}, salt=TOKEN_SALT)})


def _token_ok(token: str) -> bool:
    try:
        issued = signing.loads(token, salt=TOKEN_SALT, max_age=MAX_SECONDS)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    return MIN_SECONDS <= timezone.now().timestamp() - issued <= MAX_SECONDS


@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        return render(request, "web/complaints/new.html", {"form": _fresh_form()})
    key = _client_key(request)
    if _flooded(key):
        return render(request, "web/complaints/busy.html", status=429)
    form = ComplaintForm(request.POST)
    if not form.is_valid() or form.cleaned_data["website"] or not _token_ok(form.cleaned_data["token"]):
        if form.is_valid():  # a bot, or a page sent too fast or too late: ask again, say nothing more
            form.add_error(None, _("Please check the form and send it again."))
        form.data = form.data.copy()
        form.data["token"] = _fresh_form().initial["token"]
        return render(request, "web/complaints/new.html", {"form": form}, status=400)
    data = form.cleaned_data
    draft = services.ComplaintDraft(
        paid_at=min(datetime.combine(data["paid_on"], time(12), tzinfo=UTC), timezone.now()), amount=data["amount"],
        currency=data["currency"], paid_to_kind=data["paid_to_kind"], paid_to=data["paid_to"],
        bank_name=data["bank_name"], scam_type=data["scam_type"], scammer_contact=data["scammer_contact"],
        story=data["story"], contact=data["contact"])
    try:
        complaint = services.receive_complaint(draft, client_key=key)
    except ValidationFailed as exc:
        for error in exc.extra.get("errors", []):
            field = {"paid_at": "paid_on"}.get(error["field"], error["field"])
            form.add_error(field if field in form.fields else None, error["message"])
        return render(request, "web/complaints/new.html", {"form": form}, status=400)
    # Only the reference: a refreshed or shared page shows nothing of the complaint.
    return render(request, "web/complaints/thanks.html", {"reference": complaint.reference})
