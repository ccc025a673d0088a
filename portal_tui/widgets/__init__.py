"""Reusable widgets: money, the ledger table, the location picker."""
