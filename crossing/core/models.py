"""Shared model base: UUID public ids for records that may carry personal data (Saleor, HackSoft)."""

import secrets
import time
import uuid

from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def time_ordered_uuid() -> uuid.UUID:
    """A UUID version 7 (RFC 9562): 48 bits of milliseconds, then randomness.

    Ids created together sort together, so every index on a person id grows at its end instead
    of at random places: bulk imports write several times fewer index pages.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)
