"""Offline field intake: the XLSForm that field teams fill in on ODK Collect or KoboCollect.

The submissions come back through the handover-list importer (crossing.registry.importing.submissions).
See docs/field-intake.md.
"""
