"""Pydantic models that cross the wire, imported by both the client and the server.

This package imports no textual and nothing of the server: it is the contract.
"""

API_VERSION = "2"
"""Raised when the API changes incompatibly: 2 addresses families explicitly."""
API_PREFIX = "/api/v1"
