"""Who acts when a command is run from the shell: the named user, or the system account."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from crossing.access.default_roles import SYSTEM_USERNAME
from crossing.access.policy import Actor, actor_for
from crossing.access.seed import seed_defaults


def cli_actor(username: str | None) -> Actor:
    User = get_user_model()
    name = username or SYSTEM_USERNAME
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None and name == SYSTEM_USERNAME:
        seed_defaults()
        user = User.objects.get(username=name)
    if user is None:
        raise CommandError(f"no active user {name!r}")
    return actor_for(user)


def command_refused(actor: Actor, what: str, grant: str) -> CommandError:
    """The one message (exit 1) for a command the actor may not run: ``refused: <user> may not <what> (<grant>)``."""
    who = actor.user.username if actor.user else "this user"
    return CommandError(f"refused: {who} may not {what} ({grant})", returncode=1)
