"""Normalised identifiers: the same phone, account or wallet is one entity however it was written."""

import hashlib
import re

import phonenumbers

# Numbers written without a country code are read as Thai: the sources are Thai-side interviews,
# complaints and devices seized at the border. A number that does not parse stays as written.
DEFAULT_PHONE_REGION = "TH"

_TRON = re.compile(r"^T[1-9A-HJ-NP-Za-km-z]{33}$")
_HEX = re.compile(r"^0x[0-9a-fA-F]{40}$")


def phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 (``+66812345678``), or the digits as written when the number does not parse."""
    text = (value or "").strip()
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"[^\d+]", "", text)
    return digits


def phone_node(value: str) -> str:
    return f"phone:{phone(value)}"


def account(number: str, bank: str = "") -> str:
    """A bank account: IBAN or local number without spaces and dashes, qualified by the bank."""
    key = re.sub(r"[\s\-./]", "", number or "").upper()
    bank_key = re.sub(r"\W", "", bank or "").upper()
    return f"{bank_key}:{key}" if bank_key and not key[:2].isalpha() else key


def wallet(address: str) -> str:
    """A crypto address: Ethereum-style hex is case-insensitive, TRON and Bitcoin base58 are not."""
    text = (address or "").strip()
    return text.lower() if _HEX.match(text) else text


def handle(value: str, service: str = "") -> str:
    """A messaging handle: ``telegram:@name`` with the at-sign and case normalised."""
    name = (value or "").strip().lstrip("@").lower()
    return f"{service.strip().lower()}:@{name}" if service else f"@{name}"


def is_wallet(address: str) -> bool:
    """A TRON or Ethereum-style address (the wallets Crossing's sources carry)."""
    return bool(_TRON.match(address or "") or _HEX.match(address or ""))


def is_tron(address: str) -> bool:
    return bool(_TRON.match(address or ""))


def entity_id(prefix: str, key: str) -> str:
    """A deterministic FtM id for an identifier, so that re-imports and other sources meet on it."""
    return f"{prefix}-{hashlib.sha1(key.encode()).hexdigest()[:20]}"  # noqa: S324 - an id, not a secret


# schema -> (property holding the identifier, normaliser taking the entity's properties)
def identifier_of(schema: str, properties: dict) -> str:
    first = {key: (values[0] if values else "") for key, values in properties.items()}
    if schema == "BankAccount":
        number = first.get("iban") or first.get("accountNumber") or first.get("number")
        return f"account:{account(number, first.get('bankName', ''))}" if number else ""
    if schema == "CryptoWallet" and first.get("publicKey"):
        return f"wallet:{wallet(first['publicKey'])}"
    if schema == "UserAccount" and first.get("username"):
        return f"handle:{handle(first['username'], first.get('service', ''))}"
    return ""
