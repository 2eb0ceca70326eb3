"""Export and restore: the register, whole or one force's, to a documented file and back
(docs/export.md)."""
