"""Partner data matching: partner agency extracts, probabilistic record linkage with Splink
against the register, and the leads it produces for officers (docs/linkage.md)."""
