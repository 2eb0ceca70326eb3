"""Form fields for the GOV.UK patterns the pages use (dates as day, month and year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


class DateInput(forms.Widget):
    """The GOV.UK date input: three boxes, ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str, str]:
        return tuple(str(data.get(f"{name}_{part}", "")).strip()  # type: ignore[return-value]
                     for part in ("day", "month", "year"))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}_{part}" in data for part in ("day", "month", "year"))

    @staticmethod
    def parts(value: object) -> tuple[str, str, str]:
        if isinstance(value, dt.date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, tuple | list) and len(value) == 3:
            return tuple(str(v) for v in value)  # type: ignore[return-value]
        return "", "", ""


class DateField(forms.Field):
    """A date entered as day, month and year; a clear message names what is wrong."""

    widget = DateInput

    def to_python(self, value: object) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        day, month, year = DateInput.parts(value)
        if not (day or month or year):
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year))
                   if not part]
        if missing:
            raise forms.ValidationError(f"must include a {' and a '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError("must be a real date, for example 27 3 2017") from None


def add_service_error(form: forms.Form, exc: Any) -> None:
    """A service's refusal (``register.errors.InvalidInput``) on the form: on the field it
    names, or at the top of the form naming it."""
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, f"{exc.field.replace('_', ' ').capitalize()} {exc.message}")
