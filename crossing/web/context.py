"""Template context shared by every page: the actor, the navigation it may use, the demo banner."""

from django.conf import settings

from crossing.access.policy import actor_for


def _nav(actor) -> dict[str, bool]:
    return {
        "dashboard": actor.can("dashboard", "view"),
        "people": actor.can("person", "list"),
        "intake": actor.can("person", "create"),
        "import": actor.can("person", "import"),
        "duplicates": actor.can("linkage", "adjudicate") or actor.can("linkage", "run"),
        "link_lists": actor.can("linkage", "link_lists"),
        "travel_documents": actor.can("travel_document", "issue"),
        "repatriation": actor.can("repatriation", "view"),
        "movements": actor.can("movement", "view"),
        "departures": actor.can("repatriation", "plan"),
        "funding": actor.can("repatriation", "fund"),
        "screening": actor.can("screening", "conduct") or actor.can("screening", "review"),
        "facilities": actor.can("facility", "view"),
        "compounds": actor.can("compound", "view"),
        "audit": actor.can("audit", "view"),
        "oversight": actor.can("break_glass", "review") or actor.can("deny_list", "manage"),
        "break_glass": actor.can("break_glass", "use"),
        "network": actor.can("network", "view"),
        "flows": actor.can("flows", "view"),
        "complaints": actor.can("flows", "triage"),
        "conflicts": actor.can("deny_list", "manage") or actor.can("network", "view"),
    }


def crossing(request):
    user = getattr(request, "user", None)
    actor = actor_for(user) if user is not None and user.is_authenticated else None
    return {
        "actor": actor,
        "nav": _nav(actor) if actor else {},
        "crossing_env": settings.CROSSING_ENV,
        "two_factor_relaxed": not settings.CROSSING_REQUIRE_2FA,
    }
