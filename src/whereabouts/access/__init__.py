"""Who may see what, and the append-only, hash-chained log of every look and every change."""
