"""The vocabulary of permissions: resources, their actions, and scopes (Primero's resource x action).

Roles are data (editable by an administrator); this module only names what can be granted.
Sensitive resources are separate grants and require two-factor authentication.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    TEAM = "team", _("Team")
    AGENCY = "agency", _("Agency")
    NATIONALITY = "nationality", _("Nationality")
    FACILITY = "facility", _("Facility")
    ALL = "all", _("All")


# resource -> allowed actions. Person sections are their own resources so that a role can see a
# person without, say, their family contacts or document numbers.
RESOURCES: dict[str, tuple[str, ...]] = {
    "person": ("view", "list", "create", "update", "export", "import"),
    "person_documents": ("view", "update"),
    "person_contacts": ("view", "update"),
    "person_vulnerabilities": ("view", "update"),
    "person_placement": ("view", "update"),
    "person_access_log": ("view",),
    "compound": ("view", "update"),
    "facility": ("view", "update", "headcount"),
    "dashboard": ("view",),
    "audit": ("view", "export"),
    "access_admin": ("manage",),
    "deny_list": ("manage",),
    "break_glass": ("use", "review"),
    # Record linkage: run registry deduplication, decide candidate pairs (both records must also
    # be updatable by the actor), link two uploaded lists without touching the registry.
    "linkage": ("run", "adjudicate", "link_lists"),
    # Screening (spec A.7): see the outcome and the MDT status; conduct an interview; decide its
    # outcome; second-review a decision; record the MDT's identification; lift a non-punishment
    # hold; oversee the queue and the bias monitor; export HTCDS records; aggregate statistics.
    "screening": ("view", "conduct", "decide", "review", "identify", "lift_hold", "oversee", "export", "statistics"),
    # The statement compartment (NP-1): answers, notes, participation and evaluations. Never
    # granted to investigator or prosecutor roles; they see only the outcome.
    "screening_statement": ("view",),
    # The suspect role (NP-6), a separate record linked to the person.
    "suspect_record": ("view", "update"),
    # Repatriation (issue 5): see a person's case; move it through its gates; place or lift a hold;
    # plan movements; record funding (pledges, cost estimates). Travel documents: request one from an embassy; issue it (the embassy).
    "repatriation": ("view", "update", "hold", "plan", "fund"),
    "travel_document": ("request", "issue"),
    # Movements: see them; create, edit, confirm and cancel them and set the border rules (manage);
    # propose one for the actor's own nationals (nominate: an embassy announcing a charter).
    "movement": ("view", "manage", "nominate"),
    # Network intelligence (issue 6), a compartment of its own: see entities, the graph and the
    # ranking; record entities and links; import files; export; resolve (merge, split, link to the
    # registry, mark an official); and contribute: file a lead (a recruiter's phone, an advert) from
    # an interview without seeing anything of the compartment.
    "network": ("view", "edit", "import", "export", "resolve", "contribute"),
    # Money flows (issue 7): see alerts, traces and the ranking; import transaction files and run the
    # detectors; edit what is known about an account (its kind, the entity behind it); export; and
    # triage the public's complaints (they carry a victim's loss and, optionally, contact details).
    "flows": ("view", "import", "edit", "export", "triage"),
}

PERSON_SECTIONS = ("person_documents", "person_contacts", "person_vulnerabilities", "person_placement", "person_access_log",
                   "screening_statement")

# Seeing any of these requires a verified second factor (TOTP).
SENSITIVE_RESOURCES = frozenset(
    {"person_documents", "person_contacts", "person_vulnerabilities", "screening_statement", "audit", "access_admin",
     "deny_list", "break_glass", "network", "flows"}
)

RESOURCE_CHOICES = [(r, r) for r in RESOURCES]
ACTION_CHOICES = sorted({(a, a) for actions in RESOURCES.values() for a in actions})


def is_valid(resource: str, action: str) -> bool:
    return action in RESOURCES.get(resource, ())
