"""Bulk import of a register extract from another system (docs/import.md)."""
