"""Loading the 43 forces of England and Wales from the shipped ``forces.csv``."""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any


def force_rows() -> list[dict[str, Any]]:
    with resources.files("whereabouts.register").joinpath("forces.csv").open(encoding="utf-8") as f:
        return [
            {
                "slug": row["force_slug"],
                "name": row["force_name"],
                "region": row["region"],
                "country": row["country"],
                "population": int(row["population_approx"]),
                "mappa_area": row["mappa_area_name"],
            }
            for row in csv.DictReader(f)
        ]


def ensure_forces() -> int:
    """Load the forces if the table is empty (after a flush); returns how many were added."""
    from .models import Force

    if Force.objects.exists():
        return 0
    rows = force_rows()
    Force.objects.bulk_create([Force(**row) for row in rows])
    return len(rows)
