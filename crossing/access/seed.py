"""Seeding the default roles, the lead agency and the command-line system account (idempotent)."""

from crossing.access.default_roles import DEFAULT_ROLES, LEAD_AGENCY, SYSTEM_USERNAME


def seed_defaults(apps=None) -> None:
    """Usable from a data migration (``apps`` given) and from code (``apps`` None)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Role = apps.get_model("access", "Role")
    Grant = apps.get_model("access", "Grant")
    Agency = apps.get_model("access", "Agency")
    Membership = apps.get_model("access", "Membership")
    User = apps.get_model("auth", "User")
    for name, spec in DEFAULT_ROLES.items():
        role, created = Role.objects.get_or_create(
            name=name, defaults={"description": spec["description"], "is_supervisor": spec.get("is_supervisor", False)}
        )
        if not created:
            continue
        for resource, actions in spec["grants"].items():
            for action, scope in actions.items():
                Grant.objects.create(role=role, resource=resource, action=action, scope=scope)
    lead, _ = Agency.objects.get_or_create(name=LEAD_AGENCY, defaults={"kind": "coordination", "country": "THA"})
    system, created = User.objects.get_or_create(username=SYSTEM_USERNAME, defaults={"is_active": True, "password": "!"})
    if created or not Membership.objects.filter(user=system).exists():
        Membership.objects.create(user=system, agency=lead, role=Role.objects.get(name="System operator"))


# Resources added after a release: existing installations get their default grants once, on
# roles that still carry the default name, without touching grants an administrator edited.
LATER_RESOURCES = ("linkage", "screening", "screening_statement", "suspect_record", "repatriation", "travel_document",
                   "movement")


def add_later_resources(apps) -> None:
    """Run once by the migration that introduced the resource."""
    Role = apps.get_model("access", "Role")
    Grant = apps.get_model("access", "Grant")
    for name, spec in DEFAULT_ROLES.items():
        role = Role.objects.filter(name=name).first()
        if role is None:
            continue
        for resource in LATER_RESOURCES:
            if Grant.objects.filter(role=role, resource=resource).exists():
                continue
            for action, scope in spec["grants"].get(resource, {}).items():
                Grant.objects.create(role=role, resource=resource, action=action, scope=scope)
