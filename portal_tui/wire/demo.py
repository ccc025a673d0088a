"""The demo portal's sign-in, shared by `portal-server seed-demo` and `portal-tui --demo`."""

DEMO_EMAIL = "jordan.rivera@example.com"
DEMO_PASSWORD = "demo-portal-2026"
DEMO_SECONDARY_EMAIL = "sam.rivera@example.com"
OTHER_FAMILY_EMAIL = "casey.nguyen@example.com"
"""A second family's primary guardian, for isolation tests; same password."""
DEMO_INVITATION_CODE = "demo-invitation-alex-nguyen"
"""The pending invitation of the second family's Alex Nguyen (alex.nguyen@example.com): it
works until the demo's tomorrow, so the demo shows Accept Invitation."""
DEMO_INVITED_EMAIL = "alex.nguyen@example.com"
