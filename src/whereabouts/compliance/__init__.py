"""The compliance sweep: the rules applied to every ledger, and tasks for what fell overdue."""
