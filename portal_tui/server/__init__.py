"""The reference portal server: FastAPI + SQLAlchemy 2. Imports nothing of the UI or client."""
