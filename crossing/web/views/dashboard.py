from django.shortcuts import render

from crossing.access import policy
from crossing.registry import stats
from crossing.web.views.common import actor_of, protected


@protected
def dashboard(request):
    actor = actor_of(request)
    if not actor.can("dashboard", "view"):
        # Auditors and users without case roles land on what they may use.
        return render(request, "web/home.html", {})
    try:
        days = max(1, min(int(request.GET.get("days", "30")), 3650))
    except ValueError:
        days = 30
    data = stats.dashboard(actor=actor, long_wait_days=days)
    return render(request, "web/dashboard.html", {"data": data, "can_list": actor.can("person", "list"),
                                                  "compounds_visible": policy.compounds(actor).exists()})
