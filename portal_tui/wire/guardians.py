"""Requests that add a guardian to a family or change one's name and relation.

A guardian added here is a secondary guardian without login access or permission to pay;
an invitation to log in is a separate step. An update names the version it edited; a stale
one is answered 409 with the current record.
"""

from __future__ import annotations

from pydantic import Field

from portal_tui.wire.account import GuardianOut
from portal_tui.wire.common import PlainText, RequestModel, Resource, Version

RELATION_MAX = 40
"""The longest relation ("Grandparent", "Stepfather", "Aunt") a guardian may be given."""


class GuardianFields(RequestModel):
    """A new guardian ("Add Guardian")."""

    first_name: PlainText = Field(min_length=1, max_length=80)
    last_name: PlainText = Field(min_length=1, max_length=80)
    relation: PlainText = Field(
        "", max_length=RELATION_MAX, description="How they are related, e.g. Mother, Grandparent"
    )


class GuardianUpdate(GuardianFields):
    """A guardian's changed name and relation ("Edit Guardian"), naming the version edited."""

    version: Version


GUARDIANS = Resource("guardians", "Guardian", GuardianFields, GuardianUpdate, GuardianOut)
