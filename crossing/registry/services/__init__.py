"""Writes to the registry. Every write is audited in its own transaction (see crossing.access.audit)."""
