"""Money flows: the transactions live in Parquet files (crossing.flows.store); the database keeps
what points at them and what people decided about them.

``FlowBatch`` lists the files that make up the ``txns`` relation: a file on disk that no batch names
is not part of it (a crash between writing the file and recording the batch leaves nothing visible).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from analytics.flows import schema
from crossing.core.models import BaseModel


class FlowFormat(models.TextChoices):
    CANONICAL = "canonical", _("Canonical transactions")
    TRON = "tron", _("Block explorer export (TRON)")
    BANK = "bank-csv", _("Bank statement")
    COMPLAINT = "complaint", _("Victims' complaints")
    SCENARIO = "scenario", _("Synthetic scenario")


class FlowBatch(BaseModel):
    """One imported file. The same bytes again are a no-op; the file's rows are in ``file``."""

    fmt = models.CharField(max_length=20, choices=FlowFormat.choices)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    file = models.CharField(max_length=100, blank=True)  # under FLOWS_DIR; empty when no row was new
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    new_rows = models.PositiveIntegerField(default=0)
    first_ts = models.DateTimeField(null=True)
    last_ts = models.DateTimeField(null=True)
    total_usd = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]


class AccountKind(models.TextChoices):
    VICTIM = schema.VICTIM, _("Victim's account")
    ORDINARY = schema.ORDINARY, _("Account")
    EXCHANGE = schema.EXCHANGE, _("Exchange (cash-out)")
    GUARANTEE = schema.GUARANTEE, _("Guarantee marketplace (cash-out)")
    CASINO = schema.CASINO, _("Casino or junket (cash-out)")
    CASH = schema.CASH, _("Cash or underground banking (cash-out)")
    MERCHANT = schema.MERCHANT, _("Merchant")


class FlowAccount(models.Model):
    """What is known about an account: its kind (cash-out points stop a trace), when it was opened,
    and the network entity it is (a BankAccount or CryptoWallet with the same identifier)."""

    account = models.CharField(primary_key=True, max_length=128)
    kind = models.CharField(max_length=20, choices=AccountKind.choices, default=AccountKind.ORDINARY)
    label = models.CharField(max_length=200, blank=True)
    opened = models.DateTimeField(null=True, blank=True)
    entity_id = models.CharField(max_length=128, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)


class DetectionRun(BaseModel):
    """One run of the typology detectors over every transaction; its alerts are in ``file``."""

    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(default=dict)
    file = models.CharField(max_length=100)
    transactions = models.PositiveBigIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)
    accounts = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("New")
    LINKED = "linked", _("Linked to a transaction")
    ADDED = "added", _("Added as a transaction")
    DISMISSED = "dismissed", _("Dismissed")


class Complaint(BaseModel):
    """A scam victim's report of a loss, made on the public page without an account.

    The victim gets ``reference`` back and nothing else; no page ever shows one complaint to another
    complainant. Only what tracing needs is asked for: when, how much, to which account or wallet.
    """

    reference = models.CharField(max_length=16, unique=True)
    paid_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=10)
    paid_to_kind = models.CharField(max_length=10)  # bank | wallet
    paid_to = models.CharField(max_length=128)
    bank_name = models.CharField(max_length=80, blank=True)
    scam_type = models.CharField(max_length=40, blank=True)
    scammer_contact = models.CharField(max_length=120, blank=True)  # the phone or handle that approached them
    story = models.TextField(blank=True, max_length=2000)
    contact = models.CharField(max_length=200, blank=True)  # how the police may reach the victim (optional)
    # A keyed hash of the sender's address, for the per-address rate limit; the address itself is not kept.
    client_key = models.CharField(max_length=32, blank=True, db_index=True)
    status = models.CharField(max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW)
    txn_id = models.CharField(max_length=128, blank=True, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
