"""The HTTP client for the portal API. Imports no textual."""
