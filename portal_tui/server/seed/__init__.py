"""Demo and benchmark data for the reference server."""

from portal_tui.server.seed.bulk import seed_bulk
from portal_tui.server.seed.demo import seed_demo

__all__ = ["seed_bulk", "seed_demo"]
