"""The one error type for bad input: it names the field and what is wrong with it."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input that makes no sense; raised before anything is written."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
