"""How FollowTheMoney entities become a graph: the edge kinds, their direction, and the field's roles.

Django-free: the graph engine, the synthetic syndicate generator and the benchmarks share it.

FtM links are entities of their own (Ownership, Employment, ...). In the analysis graph each becomes
one directed edge between the two entities it joins, in the direction control or money flows:

* OWNERSHIP owner -> asset, DIRECTORSHIP director -> organization, EMPLOYMENT employer -> employee,
  MEMBERSHIP organization -> member, SUPERVISES supervisor -> subordinate: the command and control
  chains, pointing down.
* RECRUITED recruiter -> recruit; HELD_AT compound -> person held; SOLD_TO seller -> buyer (a worker
  sold between compounds: seller is the compound or boss that sold, buyer the one that bought).
* PAYMENT payer -> beneficiary, with an amount (US dollars).
* HOLDER holder -> account (BankAccount, CryptoWallet, UserAccount): who controls the account.
* PHONE entity -> phone node; CONTACT device owner -> phone node (a seized contact list);
  MESSAGE sender -> recipient (a chat export). FtM has no phone schema: phones are a property type,
  and the graph gives every distinct normalised number one node (schema ``Phone``) so that two
  entities sharing a number are two hops apart.
* MENTION document -> entity (a job advertisement names a phone, a company, a compound).
* FAMILY, ASSOCIATE, UNKNOWN: undirected in meaning, stored in the FtM direction.
"""

from enum import IntEnum


class EdgeKind(IntEnum):
    OWNERSHIP = 1
    DIRECTORSHIP = 2
    EMPLOYMENT = 3
    MEMBERSHIP = 4
    SUPERVISES = 5
    RECRUITED = 6
    HELD_AT = 7
    SOLD_TO = 8
    PAYMENT = 9
    HOLDER = 10
    PHONE = 11
    CONTACT = 12
    MESSAGE = 13
    MENTION = 14
    FAMILY = 15
    ASSOCIATE = 16
    UNKNOWN = 17


# Edges along which command or control runs downward (used by the organizer ranking).
CONTROL_KINDS = frozenset({EdgeKind.OWNERSHIP, EdgeKind.DIRECTORSHIP, EdgeKind.EMPLOYMENT, EdgeKind.MEMBERSHIP,
                           EdgeKind.SUPERVISES, EdgeKind.HOLDER})

# The field's roles have no FtM schema of their own. They are UnknownLink entities whose `role`
# property carries one of these values (subject -> object in the direction above); FtM tools that do
# not know the vocabulary still read a valid link with a human-readable role.
ROLE_KINDS: dict[str, EdgeKind] = {
    "recruited": EdgeKind.RECRUITED,
    "supervises": EdgeKind.SUPERVISES,
    "held at": EdgeKind.HELD_AT,
    "sold to": EdgeKind.SOLD_TO,
    # A victim's payment into a wallet: FtM's Payment takes bank accounts only (payerAccount,
    # beneficiaryAccount), so a payment to a CryptoWallet is an UnknownLink "paid" to the wallet.
    "paid": EdgeKind.PAYMENT,
    # A seized device's contact list: the owner has the contact (a Person carrying the phone).
    "has in contacts": EdgeKind.CONTACT,
}

# FtM link schema -> (edge kind, source property, target property).
LINK_SCHEMATA: dict[str, tuple[EdgeKind, str, str]] = {
    "Ownership": (EdgeKind.OWNERSHIP, "owner", "asset"),
    "Directorship": (EdgeKind.DIRECTORSHIP, "director", "organization"),
    "Employment": (EdgeKind.EMPLOYMENT, "employer", "employee"),
    "Membership": (EdgeKind.MEMBERSHIP, "organization", "member"),
    "Payment": (EdgeKind.PAYMENT, "payer", "beneficiary"),
    "Family": (EdgeKind.FAMILY, "person", "relative"),
    "Associate": (EdgeKind.ASSOCIATE, "person", "associate"),
    "UnknownLink": (EdgeKind.UNKNOWN, "subject", "object"),
    "Mention": (EdgeKind.MENTION, "document", "resolved"),
    "Documentation": (EdgeKind.MENTION, "document", "entity"),
}

# Entity-valued properties on node schemata that are edges too: (schema, property) -> kind.
# `holder` points from the wallet to its holder in FtM; the graph turns it round (holder -> wallet).
# FtM 4's BankAccount has no holder property: a bank account's holder is an Ownership
# (owner -> asset), which the graph reads as OWNERSHIP.
HOLDER_PROPERTIES: dict[tuple[str, str], EdgeKind] = {
    ("CryptoWallet", "holder"): EdgeKind.HOLDER,
    ("UserAccount", "owner"): EdgeKind.HOLDER,
}

# Roles read "subject <role> object" in English; the graph edge runs against that reading for these
# (a person "held at" a compound: the edge runs compound -> person, like control).
REVERSED_ROLES = frozenset({"held at"})

PHONE_SCHEMA = "Phone"

# Node schemata the ranking reports on (the contract: Person and Organization entities,
# FtM's Company being an Organization).
RANKED_SCHEMATA = frozenset({"Person", "Organization", "Company", "LegalEntity"})
