"""Money flows out to FollowTheMoney: one victim's payment traced, as FtM entities (JSON lines).

FtM's ``Payment`` names bank accounts only (``payerAccount``/``beneficiaryAccount`` range over
``BankAccount``); a transfer from or to a crypto wallet has no FtM home. The documented extension
(docs/flows.md, "Export"): such a transfer is an ``UnknownLink`` with ``role`` "crypto transfer" from
the paying ``CryptoWallet`` (or ``BankAccount``) to the receiving one, its transaction ids in
``recordId``, dates in ``startDate``/``endDate`` and the amounts in ``summary`` — the same shape the
network compartment gives a complainant's payment into a wallet (docs/network-interop.md). Transfers
between two bank accounts are ``Payment`` entities.

Accounts keep the network compartment's entity id when the network knows the account (so Aleph merges
this export with ``crossing network export --format ftm``); others get a stable id from the account
identifier. Exports need ``flows.export`` and are audited (counts only).
"""

from __future__ import annotations

import json
import re
from typing import TextIO

from followthemoney import model

from analytics.flows.schema import CRYPTO_CURRENCIES
from crossing.access import audit
from crossing.access.events import AuditEventType
from crossing.access.policy import Actor
from crossing.flows import selectors
from crossing.network import identifiers
from crossing.network.models import Entity

_BANK_ID = re.compile(r"^[A-Z][A-Z0-9]{1,11}:\S+$")  # "KBANK:1234567890", as the imports store bank accounts


def account_entity(account: str, entity_id: str | None = None, currency: str = "", schema: str = ""):
    """The FtM entity of an account identifier as Crossing stores it (``BANK:number``, a wallet address):
    the network's schema when it knows the account, else a wallet by its address or its currency."""
    bank_like = bool(_BANK_ID.match(account))
    if schema == "CryptoWallet" or (schema != "BankAccount" and (
            identifiers.is_wallet(account) or (not bank_like and currency in CRYPTO_CURRENCIES))):
        props = {"publicKey": [account], "blockchain": ["TRON" if identifiers.is_tron(account) else "Ethereum"]}
        if currency:
            props["currency"] = [currency]
        schema = "CryptoWallet"
    else:
        bank, sep, number = account.partition(":")
        bank, number = (bank, number) if sep else ("", account)
        props = {"accountNumber": [number]}
        if bank:
            props["bankName"] = [bank]
        schema = "BankAccount"
    return model.get_proxy({"id": entity_id or identifiers.entity_id("crossing-flows-account", account),
                            "schema": schema, "properties": props})


def _money(amount, currency: str, usd: float) -> str:
    native = f"{currency} {amount:,.2f}; " if amount is not None else ""
    return f"{native}USD {usd:,.2f}"


def trace_entities(result: dict) -> list:
    """FtM proxies for a trace (``selectors.trace`` output): accounts, then one transfer entity per
    (sender, receiver) pair carrying the traced amount."""
    behind = result.get("behind", {})
    currencies: dict[str, str] = {}
    for f in result["flows"]:
        for a in (f["src"], f["dst"]):
            currencies.setdefault(a, f["currency"] if "," not in (f["currency"] or "") else "")
    known = {a: v["entity"][0] for a, v in behind.items() if v.get("entity")}
    schemata = dict(Entity.objects.filter(pk__in=set(known.values())).values_list("pk", "schema"))
    accounts = {a: account_entity(a, known.get(a), currencies.get(a, ""), schemata.get(known.get(a), ""))
                for a in sorted(currencies)}
    seed = result["seed"]["txn_id"]
    out = list(accounts.values())
    for f in result["flows"]:
        src, dst = accounts[f["src"]], accounts[f["dst"]]
        summary = (f"traced from payment {seed} ({result['rule']}, hop {f['hop']}): "
                   f"{_money(f['amount'], f['currency'], f['amount_usd'])} over {f['txn_count']} transfer(s)")
        dates = {"startDate": [f["first_ts"][:19]], "endDate": [f["last_ts"][:19]]}
        if src.schema.name == "BankAccount" and dst.schema.name == "BankAccount":
            props = {"payerAccount": [src.id], "beneficiaryAccount": [dst.id], "amountUsd": [f"{f['amount_usd']:.2f}"],
                     "transactionNumber": f["txn_ids"], "summary": [summary], **dates}
            if f["amount"] is not None and "," not in f["currency"]:
                props |= {"amount": [f"{f['amount']:.2f}"], "currency": [f["currency"]]}
            schema = "Payment"
        else:
            props = {"subject": [src.id], "object": [dst.id], "role": ["crypto transfer"],
                     "recordId": f["txn_ids"], "summary": [summary], **dates}
            schema = "UnknownLink"
        key = "\x1f".join((seed, f["src"], f["dst"]))
        out.append(model.get_proxy({"id": identifiers.entity_id("crossing-flows-transfer", key), "schema": schema,
                                    "properties": props}))
    return out


def export_trace_ftm(stream: TextIO, *, actor: Actor, txn_id: str, rule: str = "fifo") -> dict:
    """Write the trace of ``txn_id`` as FtM JSON lines; returns the counts."""
    result = selectors.trace_for_export(actor, txn_id, rule=rule)
    proxies = trace_entities(result)
    for proxy in proxies:
        stream.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    counts = {"entities": len(proxies), "transfers": len(result["flows"])}
    audit.record(actor, AuditEventType.FLOWS_EXPORTED, subject_type="flows_txn", subject_id=txn_id[:64],
                 extra={"format": "ftm", "rule": rule, **counts})
    return counts
