"""Small pieces every REST API module reads its input with: a bounded ``?top=`` and raw request bodies."""

from rest_framework.parsers import BaseParser


def query_top(request, default: int = 25, most: int = 500) -> int:
    """``?top=N`` clamped to 1..``most``; anything unreadable is the default."""
    try:
        return max(1, min(int(request.query_params.get("top", default)), most))
    except ValueError:
        return default


class RawBodyParser(BaseParser):
    """The request body as bytes, for imports that parse (and report row by row) themselves."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()
