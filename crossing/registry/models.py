"""The people registry: persons with names in any script, documents and their custody, contacts,
vulnerabilities, rescue events, placements; compounds and holding facilities.

Person is not a case (prior-art 0.2): screenings, repatriation and intelligence hang off it later.
Protected rows are read only through ``crossing.access.policy`` and written only by services.
"""

import calendar
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crossing.core.models import BaseModel

# Crockford base32 without I, L, O, U: easy to read aloud over a bad line.
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A human reference that encodes nothing about the person (no nationality, sex or name)."""
    # 10 symbols (50 bits): collisions stay negligible at national scale; the unique index backs it.
    bits = secrets.randbits(50)
    body = "".join(_REF_ALPHABET[(bits >> (5 * i)) & 31] for i in range(10))
    return f"CX-{body[:5]}-{body[5:]}"


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


class PersonStatus(models.TextChoices):
    HELD = "held", _("Held")
    AWAITING_SCREENING = "awaiting_screening", _("Awaiting screening")
    AWAITING_DOCUMENTS = "awaiting_documents", _("Awaiting documents")
    SCHEDULED = "scheduled", _("Scheduled")
    REPATRIATED = "repatriated", _("Repatriated")
    RELEASED = "released", _("Released")
    ABSCONDED = "absconded", _("Absconded")
    DECEASED = "deceased", _("Deceased")


class NameKind(models.TextChoices):
    PASSPORT = "passport", _("As in passport")
    NATIVE = "native", _("Native script")
    ALIAS = "alias", _("Alias")
    COMPOUND = "compound", _("Name used in the compound")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    ETD = "emergency_travel_document", _("Emergency travel document")
    OTHER = "other", _("Other")


class Custodian(models.TextChoices):
    HOLDER = "holder", _("With the person")
    CONFISCATED = "confiscated", _("Confiscated by the compound")
    POLICE = "police", _("Seized by police")
    EMBASSY = "embassy", _("Held by an embassy")
    LOST = "lost", _("Lost")


class VulnerabilityKind(models.TextChoices):
    POSSIBLE_MINOR = "possible_minor", _("Possible minor")
    MEDICAL = "medical", _("Medical")
    PREGNANCY = "pregnancy", _("Pregnancy")
    DISABILITY = "disability", _("Disability")


class Compound(BaseModel):
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=3, default="MMR")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    controlling_group = models.CharField(max_length=200, blank=True)
    estimated_headcount = models.PositiveIntegerField(null=True, blank=True)
    search_key = models.CharField(max_length=200, db_index=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CompoundAlias(models.Model):
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    script = models.CharField(max_length=4, default="Latn")
    search_key = models.CharField(max_length=200, db_index=True, blank=True)

    class Meta:
        ordering = ["name"]


class CompoundInfrastructure(models.Model):
    """A dated observation of the compound's supplies: the 2025 cuts and satellite internet."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="infrastructure")
    observed_on = models.DateField()
    power = models.BooleanField()
    fuel = models.BooleanField()
    internet = models.BooleanField()
    satellite_internet = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-observed_on"]


class FacilityKind(models.TextChoices):
    ARMY_CAMP = "army_camp", _("Army camp")
    IMMIGRATION_DETENTION = "immigration_detention", _("Immigration detention")
    SHELTER = "shelter", _("Shelter")
    TEMPORARY_SITE = "temporary_site", _("Temporary holding site")


class HoldingFacility(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=FacilityKind.choices)
    country = models.CharField(max_length=3, default="THA")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity_men = models.PositiveIntegerField(default=0)
    capacity_women = models.PositiveIntegerField(default=0)
    capacity_minors = models.PositiveIntegerField(default=0)
    operator = models.ForeignKey("access.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="facilities")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "holding facilities"

    def __str__(self):
        return self.name

    @property
    def capacity_total(self) -> int:
        return self.capacity_men + self.capacity_women + self.capacity_minors


class RescueEvent(BaseModel):
    occurred_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    compound = models.ForeignKey(Compound, null=True, blank=True, on_delete=models.PROTECT, related_name="rescue_events")
    handed_over_by = models.CharField(max_length=200, blank=True)
    received_by = models.ForeignKey("access.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    expected_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurred_on", "compound", "handed_over_by"], name="rescue_event_unique_handover"
            )
        ]

    def __str__(self):
        return f"{self.occurred_on} {self.handed_over_by}".strip()


class Person(BaseModel):
    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    # Denormalised display name (first passport or native name) so lists need no join.
    display_name = models.CharField(max_length=300)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    age_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    is_minor = models.BooleanField(default=False)
    status = models.CharField(max_length=24, choices=PersonStatus.choices, default=PersonStatus.HELD, db_index=True)
    compound = models.ForeignKey(Compound, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    rescue_event = models.ForeignKey(RescueEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    current_facility = models.ForeignKey(HoldingFacility, null=True, blank=True, on_delete=models.PROTECT, related_name="residents")
    # Ownership decides the own/team/agency scopes (Primero ownable).
    owner_agency = models.ForeignKey("access.Agency", on_delete=models.PROTECT, related_name="owned_people")
    owner_team = models.ForeignKey("access.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_people")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    primary_nationality = models.CharField(max_length=3, blank=True, db_index=True)
    # Set when an officer decided this record and another are the same person; the record and all
    # it held stay (crossing.linkage.services), so an unmerge restores it exactly.
    # No index: almost every row is NULL, and with one SQLite planned "id IN (...)" lookups of the
    # access layer as a scan of all unmerged people instead of primary-key lookups.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)

    class Meta:
        ordering = ["display_name", "reference"]
        indexes = [models.Index(fields=["current_facility", "status"], name="person_facility_status")]

    def could_be_a_child(self, today: date) -> bool:
        """Whether the recorded birth date allows an age under 18 on ``today``, taking the latest
        birth date its precision allows (a year of birth: 31 December). The ``is_minor`` flag is set
        at registration; this follows the calendar, for safeguards decided later (NP-10)."""
        dob = self.date_of_birth
        if dob is None or self.dob_precision == DatePrecision.UNKNOWN:
            return False
        if self.dob_precision == DatePrecision.YEAR:
            latest = date(dob.year, 12, 31)
        elif self.dob_precision == DatePrecision.MONTH:
            latest = date(dob.year, dob.month, calendar.monthrange(dob.year, dob.month)[1])
        else:
            latest = dob
        try:
            adult_on = latest.replace(year=latest.year + 18)
        except ValueError:  # born on 29 February
            adult_on = date(latest.year + 18, 3, 1)
        return today < adult_on

    def __str__(self):
        return self.reference


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(max_length=300)
    script = models.CharField(max_length=4, default="Latn")
    language = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=10, choices=NameKind.choices, default=NameKind.PASSPORT)
    romanized = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]


class NameToken(models.Model):
    """Search index: normalised Latin and native-script tokens of every name (see analytics.names)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    token = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["token", "person"], name="nametoken_token_person")]


class PersonNationality(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities", db_index=False)
    country = models.CharField(max_length=3)

    class Meta:
        indexes = [models.Index(fields=["country", "person"], name="nationality_country_person")]
        constraints = [models.UniqueConstraint(fields=["person", "country"], name="nationality_unique_per_person")]


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=8)
    interpreter_needed = models.BooleanField(default=False)


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=32, choices=DocumentType.choices, default=DocumentType.PASSPORT)
    number = models.CharField(max_length=64)
    # Upper-case, no spaces or dashes: what search and duplicate checks compare.
    number_normalized = models.CharField(max_length=64, db_index=True)
    issuing_country = models.CharField(max_length=3, blank=True)
    expiry = models.DateField(null=True, blank=True)
    custodian = models.CharField(max_length=16, choices=Custodian.choices, default=Custodian.HOLDER)

    class Meta:
        ordering = ["id"]


class FamilyContact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    consent_to_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class PhoneNumber(models.Model):
    """The person's own phone numbers: a linkage key, and part of the contacts section."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)  # as written on the source list
    e164 = models.CharField(max_length=20, db_index=True)

    class Meta:
        ordering = ["id"]


class Vulnerability(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    kind = models.CharField(max_length=20, choices=VulnerabilityKind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="vulnerability_unique_kind")]


class Placement(models.Model):
    """A stay in a holding facility; the open one (no check-out) is where the person is now."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    facility = models.ForeignKey(HoldingFacility, on_delete=models.PROTECT, related_name="placements")
    check_in = models.DateTimeField()
    check_out = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)  # why the person came here
    check_out_reason = models.CharField(max_length=200, blank=True)  # why they left: kept apart, nothing lost
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["check_in"]
        indexes = [models.Index(fields=["facility", "check_out"], name="placement_facility_open")]


class Headcount(models.Model):
    """A daily roll-call compared with the registry's expected residents; gaps raise a flag."""

    facility = models.ForeignKey(HoldingFacility, on_delete=models.CASCADE, related_name="headcounts")
    counted_at = models.DateTimeField()
    men = models.PositiveIntegerField()
    women = models.PositiveIntegerField()
    minors = models.PositiveIntegerField()
    expected_men = models.PositiveIntegerField()
    expected_women = models.PositiveIntegerField()
    expected_minors = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-counted_at"]

    @property
    def discrepancy(self) -> int:
        return (self.men + self.women + self.minors) - (self.expected_men + self.expected_women + self.expected_minors)


class ConditionKind(models.TextChoices):
    FOOD = "food", _("Food")
    WATER = "water", _("Water")
    SANITATION = "sanitation", _("Toilets and sanitation")
    SHELTER = "shelter", _("Shelter and space")
    MEDICAL_INCIDENT = "medical_incident", _("Medical incident")
    SECURITY_INCIDENT = "security_incident", _("Security incident")


class ConditionSeverity(models.TextChoices):
    ADEQUATE = "adequate", _("Adequate")
    STRAINED = "strained", _("Strained")
    CRITICAL = "critical", _("Critical")


class ConditionReport(models.Model):
    """The log of conditions in a facility (2025: camps ran short of food and toilets). No personal
    data: a medical incident is logged as an event, the patient's record is elsewhere."""

    facility = models.ForeignKey(HoldingFacility, on_delete=models.CASCADE, related_name="conditions")
    reported_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=ConditionKind.choices)
    severity = models.CharField(max_length=10, choices=ConditionSeverity.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-reported_at", "-id"]


class ImportBatch(BaseModel):
    list_ref = models.CharField(max_length=100)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]


class ImportedRow(models.Model):
    """Provenance and idempotency: a (list, row) pair is imported once, into one person."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="rows")
    list_ref = models.CharField(max_length=100)
    row_ref = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="source_rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list_ref", "row_ref"], name="imported_row_unique_ref")]
