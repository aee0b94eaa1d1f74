"""What the registry stores for each name: its script, its romanization and its search tokens.

Django-free, so that a worker process started fresh (spawn) can compute it for large imports.
"""

from functools import lru_cache

from analytics.names import detect_script, index_tokens, romanize


@lru_cache(maxsize=262144)
def name_parts(full_name: str, script: str) -> tuple[str, str, frozenset[str]]:
    """Script, romanization and search tokens of a name; common names repeat, so remembered."""
    script = script or detect_script(full_name)
    romanized = (romanize(full_name) if script != "Latn" else "")[:300]
    return script, romanized, frozenset(t[:64] for t in index_tokens(full_name))
