"""The repatriation dashboard (issue 5): days stranded, funding gap, departures against processing
capacity, the forecast and days held at facilities. Thin: the selector computes and audits."""

from django.shortcuts import render

from crossing.repatriation.dashboard import repatriation_dashboard
from crossing.web.views.common import actor_of, protected


@protected
def dashboard(request):
    actor = actor_of(request)
    return render(request, "web/repatriation/dashboard.html", {"d": repatriation_dashboard(actor)})
