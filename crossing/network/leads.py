"""Leads from intake and screening: what a rescued person says about who recruited and held them.

A case or screening officer files a lead with the person's consent; it enters the intelligence
compartment as FtM entities (the person as a worker, the recruiter with phone and handle, the job
advertisement, the boss and the compound) without the officer seeing anything of the compartment.
The interview's statements are not copied: the lead holds only what the person agreed to share
about others (non-punishment: the compartment never learns what the person did).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from crossing.access.policy import Actor
from crossing.access.refusals import person_for, require, service
from crossing.core.errors import ValidationFailed
from crossing.network import identifiers, services


@dataclass
class Lead:
    recruiter_name: str = ""
    recruiter_phone: str = ""
    recruiter_handle: str = ""
    handle_service: str = ""
    advert_text: str = ""
    advert_url: str = ""
    boss_name: str = ""
    compound_name: str = ""
    consent: bool = False


def _person_id(kind: str, name: str, phone: str = "") -> str:
    return identifiers.entity_id(kind, f"{name.strip().lower()}|{identifiers.phone(phone) if phone else ''}")


def lead_entities(reference: str, display_name: str, lead: Lead) -> list[dict]:
    worker = f"worker-{reference}"
    entities = [{"id": worker, "schema": "Person", "properties": {"name": [display_name]}}]
    recruiter = boss = None
    if lead.recruiter_name or lead.recruiter_phone:
        recruiter = _person_id("recruiter", lead.recruiter_name, lead.recruiter_phone)
        props = {"name": [lead.recruiter_name or _("Recruiter (name unknown)")]}
        if lead.recruiter_phone:
            props["phone"] = [lead.recruiter_phone]
        entities.append({"id": recruiter, "schema": "Person", "properties": props})
        entities.append({"id": f"{recruiter}-recruited-{reference}", "schema": "UnknownLink",
                         "properties": {"subject": [recruiter], "object": [worker], "role": ["recruited"]}})
        if lead.recruiter_handle:
            key = identifiers.handle(lead.recruiter_handle, lead.handle_service)
            entities.append({"id": identifiers.entity_id("handle", key), "schema": "UserAccount",
                             "properties": {"username": [lead.recruiter_handle], "owner": [recruiter],
                                            **({"service": [lead.handle_service]} if lead.handle_service else {})}})
    if lead.advert_text or lead.advert_url:
        advert = identifiers.entity_id("advert", (lead.advert_url or lead.advert_text).strip().lower())
        props = {"title": [lead.advert_text[:200] or lead.advert_url], "bodyText": [lead.advert_text]}
        if lead.advert_url:
            props["sourceUrl"] = [lead.advert_url]
        if lead.recruiter_phone:
            props["phoneMentioned"] = [lead.recruiter_phone]
        entities.append({"id": advert, "schema": "Document", "properties": {k: v for k, v in props.items() if v[0]}})
        if recruiter:
            entities.append({"id": f"{advert}-names-{recruiter}", "schema": "Documentation",
                             "properties": {"document": [advert], "entity": [recruiter], "role": ["job advert"]}})
    if lead.boss_name:
        boss = _person_id("boss", lead.boss_name)
        entities.append({"id": boss, "schema": "Person", "properties": {"name": [lead.boss_name]}})
        entities.append({"id": f"{boss}-supervises-{reference}", "schema": "UnknownLink",
                         "properties": {"subject": [boss], "object": [worker], "role": ["supervises"]}})
    if lead.compound_name:
        compound = identifiers.entity_id("compound", lead.compound_name.strip().lower())
        entities.append({"id": compound, "schema": "RealEstate", "properties": {"name": [lead.compound_name]}})
        entities.append({"id": f"{compound}-held-{reference}", "schema": "UnknownLink",
                         "properties": {"subject": [worker], "object": [compound], "role": ["held at"]}})
        if boss:
            entities.append({"id": f"{boss}-owns-{compound}", "schema": "UnknownLink",
                             "properties": {"subject": [boss], "object": [compound], "role": ["runs"]}})
    return entities


@service
def contribute(*, actor: Actor, person_id, lead: Lead) -> int:
    """File a lead about ``person_id``'s recruitment; returns how many entities it touched."""
    require(actor, "network", "contribute", "person", person_id)
    person = person_for(actor, person_id, "person", "view")
    if not lead.consent:
        raise ValidationFailed(_("The person must agree to share this with the investigators."))
    if not any([lead.recruiter_name, lead.recruiter_phone, lead.recruiter_handle, lead.advert_text, lead.advert_url,
                lead.boss_name, lead.compound_name]):
        raise ValidationFailed(_("The lead is empty."))
    entities = lead_entities(person.reference, person.display_name, lead)
    report = services.write_lead(actor=actor, entities=entities, person=person,
                                 source=f"intake lead by {actor.user.username}")
    return report.entities

