"""Template context shared by every page: the actor's permissions and the demo banner."""

from django.conf import settings

from crossing.access.policy import actor_for


def crossing(request):
    user = getattr(request, "user", None)
    actor = actor_for(user) if user is not None and user.is_authenticated else None
    return {
        "actor": actor,
        "crossing_env": settings.CROSSING_ENV,
        "two_factor_relaxed": not settings.CROSSING_REQUIRE_2FA,
    }
