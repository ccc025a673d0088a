"""Portal TUI: a terminal client for a class-registration customer portal."""

__version__ = "0.1.0"
