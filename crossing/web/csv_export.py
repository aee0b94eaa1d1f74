"""Streaming CSV downloads; every cell passes through the spreadsheet-formula guard."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

from crossing.core.spreadsheet_safety import neutralise_row


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def csv_download(header: list[str], rows: Iterable, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow(neutralise_row(["" if v is None else str(v) for v in row])) for row in [header, *rows])
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
