"""Nationality codes: ISO 3166-1 alpha-3, plus ICAO's XXA for stateless people (Doc 9303)."""

from functools import lru_cache

import pycountry

STATELESS = "XXA"
_EXTRA = {STATELESS: "Stateless"}
_ALIASES = {"STATELESS": STATELESS, "XXA": STATELESS, "TAIWAN": "TWN", "VIETNAM": "VNM", "LAOS": "LAO"}


@lru_cache(maxsize=4096)
def to_alpha3(value: str) -> str | None:
    """Accept alpha-2, alpha-3, numeric or an English name; return alpha-3, or None when unknown."""
    text = (value or "").strip()
    if not text:
        return None
    upper = text.upper()
    if upper in _ALIASES:
        return _ALIASES[upper]
    try:
        if len(text) == 2:
            country = pycountry.countries.get(alpha_2=upper)
        elif len(text) == 3 and text.isdigit():
            country = pycountry.countries.get(numeric=text)
        elif len(text) == 3:
            country = pycountry.countries.get(alpha_3=upper)
        else:
            country = pycountry.countries.lookup(text)
    except LookupError:
        return None
    return country.alpha_3 if country else None


@lru_cache(maxsize=512)
def country_name(alpha3: str) -> str:
    if alpha3 in _EXTRA:
        return _EXTRA[alpha3]
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return alpha3
    return getattr(country, "common_name", None) or country.name


def choices() -> list[tuple[str, str]]:
    rows = [(c.alpha_3, getattr(c, "common_name", None) or c.name) for c in pycountry.countries]
    rows.append((STATELESS, _EXTRA[STATELESS]))
    return sorted(rows, key=lambda r: r[1])
