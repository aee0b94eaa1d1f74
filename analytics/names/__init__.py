"""Name search across scripts: romanization, search keys, index/query tokens.

Pure Python, no Django: usable from the web app, batch record linkage and
notebooks alike.  See ``normalize`` for the search model.
"""

from .normalize import index_tokens, query_tokens, search_key
from .romanize import romanize, romanize_variants
from .scripts import detect_script

__all__ = ["detect_script", "romanize", "romanize_variants", "search_key", "index_tokens", "query_tokens"]
