"""The nationality choices: ISO 3166-1 alpha-3 codes plus ICAO's XXA, named in the form's four languages.

Names come from pycountry's ISO 3166-1 catalogues (Debian iso-codes), as on the web interface
(crossing.core.countries), which has no Burmese because Burmese is not an interface language.
"""

import gettext
from functools import lru_cache

import pycountry

from crossing.core.countries import STATELESS
from crossing.intake import labels
from crossing.intake.labels import Text

_LOCALES = {"zh": "zh_CN", "th": "th", "my": "my"}
# Names the catalogues lack, or only know under a former name (Turkey, Swaziland, Macedonia). Small
# territories without a Burmese name here keep their English one.
_SUPPLEMENT = {
    "th": {"MKD": "มาซิโดเนียเหนือ", "SWZ": "เอสวาตินี", "TUR": "ตุรกี"},
    "my": {
        "BHS": "ဘဟားမားနိုင်ငံ", "BRN": "ဘရူနိုင်းနိုင်ငံ", "CHN": "တရုတ်နိုင်ငံ", "CIV": "အိုင်ဗရီကို့စ်နိုင်ငံ",
        "COD": "ကွန်ဂိုဒီမိုကရက်တစ်သမ္မတနိုင်ငံ", "COG": "ကွန်ဂိုသမ္မတနိုင်ငံ", "CPV": "ကိတ်ဗာ့ဒ်နိုင်ငံ",
        "CZE": "ချက်သမ္မတနိုင်ငံ", "ESH": "အနောက်ဆာဟာရ", "EST": "အက်စ်တိုးနီးယားနိုင်ငံ",
        "FSM": "မိုက်ခရိုနီးရှားနိုင်ငံ", "GMB": "ဂမ်ဘီယာနိုင်ငံ", "IRN": "အီရန်နိုင်ငံ", "KOR": "တောင်ကိုရီးယားနိုင်ငံ",
        "LAO": "လာအိုနိုင်ငံ", "MAC": "မကာအို", "MHL": "မာရှယ်ကျွန်းစုနိုင်ငံ",
        "MKD": "မြောက်မက်ဆီဒိုးနီးယားနိုင်ငံ", "PRK": "မြောက်ကိုရီးယားနိုင်ငံ", "PSE": "ပါလက်စတိုင်း",
        "RUS": "ရုရှားနိုင်ငံ", "SWZ": "အက်စ်ဝါတီနီနိုင်ငံ", "SYR": "ဆီးရီးယားနိုင်ငံ", "TLS": "အရှေ့တီမောနိုင်ငံ",
        "TUR": "တူရကီနိုင်ငံ", "USA": "အမေရိကန်ပြည်ထောင်စု", "VAT": "ဗာတီကန်",
    },
}


@lru_cache(maxsize=4)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[_LOCALES[language]], fallback=True)


def _name(country, language: str) -> str:
    """The common name (Laos, not Lao People's Democratic Republic) when translated, else the official one."""
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return english
    if supplement := _SUPPLEMENT.get(language, {}).get(country.alpha_3):
        return supplement
    catalogue = _catalogue(language)
    for source in (english, country.name):
        translated = catalogue.gettext(source)
        if translated != source:
            return translated
    return english


@lru_cache(maxsize=1)
def nationality_choices() -> tuple[tuple[str, Text], ...]:
    """(alpha-3 code, names) for every country and Stateless, in English alphabetical order."""
    rows = [(c.alpha_3, Text(**{language: _name(c, language) for language in labels.LANGUAGES})) for c in pycountry.countries]
    rows.append((STATELESS, labels.STATELESS))
    return tuple(sorted(rows, key=lambda row: row[1].en))


def nationality_codes() -> frozenset[str]:
    return frozenset(code for code, _names in nationality_choices())
