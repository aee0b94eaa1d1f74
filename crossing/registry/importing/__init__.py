"""Bulk import of handover lists: read (CSV/XLSX), map columns, validate, then write all or nothing."""
