"""Finding people by a name in any script, a document number or a reference.

The query is turned into tokens with ``analytics.names.query_tokens`` (Han characters become pinyin
syllables, Thai and Burmese are romanised, diacritics dropped); every token must prefix-match a
stored token of the same person. Prefix matching uses a range on the indexed token column, which
both SQLite and PostgreSQL answer from the index.
"""

import re

from django.db.models import Q, QuerySet

from analytics.names import query_tokens
from crossing.registry.models import IdentityDocument, NameToken, Person

_REFERENCE = re.compile(r"^CX-?[0-9A-Z]{5}-?[0-9A-Z]{5}$")
_DOCUMENT = re.compile(r"^(?=.*\d)[A-Z0-9]{5,20}$")
_TOP = "\U0010ffff"


def _normalise_reference(text: str) -> str:
    body = re.sub(r"[^0-9A-Z]", "", text.upper())[2:]
    return f"CX-{body[:5]}-{body[5:]}"


def search_people(people: QuerySet[Person], query: str, *, by_document: bool = True) -> QuerySet[Person]:
    """Narrow an already access-scoped queryset to the people matching ``query``.

    ``by_document`` is False for users who may not read identity documents: they cannot use a
    passport number to learn who holds it.
    """
    text = (query or "").strip()
    if not text:
        return people
    compact = re.sub(r"[\s\-/.]", "", text.upper())
    if _REFERENCE.match(text.upper()):
        return people.filter(reference=_normalise_reference(text))
    match = Q(pk__in=[])
    tokens = query_tokens(text)[:6]
    if tokens:
        name_q = Q()
        for token in tokens:
            name_q &= Q(pk__in=NameToken.objects.filter(token__gte=token, token__lt=token + _TOP).values("person_id"))
        match |= name_q
    if by_document and _DOCUMENT.match(compact):
        match |= Q(pk__in=IdentityDocument.objects.filter(number_normalized=compact).values("person_id"))
    return people.filter(match)
