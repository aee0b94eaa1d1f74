"""Phone numbers to E.164, so "081 234 5678" on an army list and "+66812345678" on an embassy
list compare equal. Django-free: the linkage engine uses it on raw CSV lists too."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
import pycountry


@lru_cache(maxsize=512)
def alpha2_of(alpha3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=alpha3.upper()) if len(alpha3) == 3 else None
    return country.alpha_2 if country else None


@lru_cache(maxsize=65536)
def to_e164(text: str, nationality: str | None = None) -> str | None:
    """E.164 for ``text``, reading numbers without a +country prefix as numbers of the person's
    nationality (alpha-3); None when it is not a possible phone number."""
    raw = (text or "").strip()
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    region = alpha2_of(nationality) if nationality else None
    try:
        number = phonenumbers.parse(raw, region if not raw.startswith("+") else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
