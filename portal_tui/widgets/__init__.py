"""Reusable widgets: money, the ledger table, the location picker, and safe text."""
