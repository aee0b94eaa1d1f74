"""The demo's syndicates: synthetic networks whose recruits are rescued people from the registry, a
synthetic sanctions list naming two organizers in another script, and one paid-off official who is a
Crossing user (the ``denied.officer`` persona), so the conflict-of-interest loop can be walked.

Everything goes through the compartment's services as the police analyst persona, so it is audited
like any analyst's work. Synthetic data only."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from analytics.network.syndicates import generate_syndicates
from crossing.access import policy
from crossing.access.policy import actor_for
from crossing.network import services, watchlists
from crossing.network.models import Entity, SourceKind

ANALYST, OFFICIAL_USER = "police.analyst", "denied.officer"


def _workers(actor, count: int) -> dict[str, tuple]:
    people = (policy.people(actor).exclude(compound__isnull=True).order_by("reference")
              .values_list("reference", "display_name", "primary_nationality", "pk")[:count])
    return {ref: (ref, name, nationality, pk) for ref, name, nationality, pk in people}


def _sanctions_list(world) -> list[dict]:
    """Two planted bosses as a sanctions list would publish them: romanized, with an alias, in
    another script than the compartment (the generator writes Chinese bosses in Han characters)."""
    from analytics.names.romanize import romanize

    rows = []
    for n, boss_id in enumerate(world.bosses[:2]):
        boss = next(e for e in world.entities if e["id"] == boss_id)
        name = boss["properties"]["name"][0]
        rows.append({"id": f"demo-sanctions-{n + 1}", "schema": "Person",
                     "properties": {"name": [romanize(name).title() or name], "topics": ["sanction"],
                                    "program": ["Synthetic sanctions programme (demo)"]}})
    return rows


def load_demo_network(*, seed: int = 7, syndicates: int = 4, workers: int = 400) -> int:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[ANALYST, OFFICIAL_USER])}
    if ANALYST not in users:
        return 0
    analyst = actor_for(users[ANALYST])
    rescued = _workers(analyst, workers)
    world = generate_syndicates(seed, syndicates=syndicates,
                                workers=[(ref, name, nat) for ref, name, nat, _pk in rescued.values()])
    services.record_entities(actor=analyst, entities=world.entities, source="synthetic syndicates (demo)",
                             source_kind=SourceKind.SCENARIO, confidence=0.8)
    present = set(Entity.objects.filter(pk__in=[f"worker-{ref}" for ref in rescued]).values_list("pk", flat=True))
    services.link_people(actor=analyst, links={f"worker-{ref}": row[3] for ref, row in rescued.items()
                                               if f"worker-{ref}" in present})
    sanctions = _sanctions_list(world)
    if sanctions:
        services.record_entities(actor=analyst, entities=sanctions, source="synthetic sanctions list (demo)",
                                 source_kind=SourceKind.SANCTIONS)
        watchlists.screen(actor=analyst)
    # The paid-off official is a Crossing user: marking the entity raises the conflict alert.
    if OFFICIAL_USER in users and world.officials:
        services.mark_official(actor=analyst, entity_id=sorted(world.officials)[0], user=users[OFFICIAL_USER])
    return len(world.entities)
