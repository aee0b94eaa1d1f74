"""The search rule the tokens are designed for, so tests read as searches."""

from analytics.names import index_tokens, query_tokens


def person_tokens(*names: str) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        tokens |= index_tokens(name)
    return tokens


def finds(query: str, *stored_names: str) -> bool:
    """Every query token must be a prefix of some token of the person."""
    tokens = person_tokens(*stored_names)
    wanted = query_tokens(query)
    return bool(wanted) and all(any(t.startswith(q) for t in tokens) for q in wanted)
