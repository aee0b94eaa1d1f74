"""Nationality codes: ISO 3166-1 alpha-3, plus ICAO's XXA for stateless people (Doc 9303).

Codes are stored; names are shown in the active language, from pycountry's own ISO 3166-1
catalogues (Debian iso-codes), falling back to English.
"""

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

STATELESS = "XXA"
# Everyday English names that pycountry's official ones do not match.
_ALIASES = {
    "STATELESS": STATELESS, "XXA": STATELESS, "TAIWAN": "TWN", "VIETNAM": "VNM", "LAOS": "LAO", "RUSSIA": "RUS",
    "TURKEY": "TUR", "BURMA": "MMR", "UK": "GBR", "GREAT BRITAIN": "GBR", "BRITAIN": "GBR", "USA": "USA",
    "UNITED STATES": "USA", "US": "USA", "SOUTH KOREA": "KOR", "NORTH KOREA": "PRK", "IVORY COAST": "CIV",
    "DR CONGO": "COD", "DRC": "COD", "EAST TIMOR": "TLS", "SWAZILAND": "SWZ", "CZECH REPUBLIC": "CZE",
    "MACAU": "MAC", "MACAO": "MAC", "PALESTINE": "PSE", "SYRIA": "SYR", "IRAN": "IRN", "BOLIVIA": "BOL",
    "TANZANIA": "TZA", "MOLDOVA": "MDA", "VENEZUELA": "VEN", "BRUNEI": "BRN", "CAPE VERDE": "CPV",
}
# Django language code -> pycountry locale directory.
_PYCOUNTRY_LOCALES = {"zh-hans": "zh_CN", "th": "th"}
_THAI_LEADING_VOWELS = frozenset("เแโใไ")


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


def _language() -> str:
    return (get_language() or "en").lower()


@lru_cache(maxsize=16)
def _catalogue(language: str) -> gettext.NullTranslations:
    """pycountry's ISO 3166-1 catalogue for a Django language code; English (no translation) when it has none."""
    locale = _PYCOUNTRY_LOCALES.get(language)
    if locale is None:
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _localised(country, catalogue: gettext.NullTranslations) -> str:
    """The common name (Laos, not Lao People's Democratic Republic) when the catalogue translates it, else
    the translated short name, else the English common or short name."""
    common = getattr(country, "common_name", None)
    if common:
        translated = catalogue.gettext(common)
        if translated != common:
            return translated
    translated = catalogue.gettext(country.name)
    if translated != country.name:
        return translated
    return common or country.name


@lru_cache(maxsize=16)
def _names(language: str) -> dict[str, str]:
    catalogue = _catalogue(language)
    return {c.alpha_3: _localised(c, catalogue) for c in pycountry.countries}


def country_name(alpha3: str) -> str:
    """The country's name in the active language; the code itself when it is not a country."""
    if alpha3 == STATELESS:
        return _("Stateless")
    return _names(_language()).get(alpha3, alpha3)


def _sort_key(name: str, language: str) -> str:
    if language.startswith("zh"):
        # Chinese lists are ordered by pinyin, not by code point.
        return " ".join(lazy_pinyin(name)).casefold()
    if language == "th" and len(name) > 1 and name[0] in _THAI_LEADING_VOWELS:
        # Thai dictionary order files เ แ โ ใ ไ under the consonant that follows them.
        return name[1] + name[0] + name[2:]
    return name


@lru_cache(maxsize=16)
def _keyed_choices(language: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((_sort_key(name, language), code, name) for code, name in _names(language).items())


def choices() -> list[tuple[str, str]]:
    """(alpha-3, name) for every country and Stateless, sorted by name in the active language."""
    language = _language()
    stateless = _("Stateless")
    rows = [*_keyed_choices(language), (_sort_key(stateless, language), STATELESS, stateless)]
    return [(code, name) for _key, code, name in sorted(rows, key=lambda r: r[0])]
