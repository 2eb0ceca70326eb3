"""People subject to notification, their identities, disposals, addresses and the event ledger."""
