"""A cached status stands until its ``valid_until``: checked against a fresh evaluation."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from whereabouts.compliance.sweep import status_and_validity
from whereabouts.register.case import build_case

from ..ledgers import DOB, days, disposal, event


@example(  # found by hypothesis: an open absence near the end of a caution's period
    disposals=[(dt.date(2000, 1, 1), "caution", None, False, False)],
    events=[("custody.start", dt.date(2000, 1, 1), False)],
    as_at=dt.date(2000, 1, 1),
    offsets=[728],
)
@settings(max_examples=1500, deadline=None)
@given(st.lists(disposal, min_size=1, max_size=2), st.lists(event, max_size=20), days,
       st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=6))
def test_a_status_holds_on_every_later_day_up_to_its_valid_until(disposals, events, as_at,
                                                                offsets):
    # The ledger as it stands on as_at: nothing takes effect later.
    events = sorted((e for e in events if e[1] <= as_at), key=lambda e: e[1])
    disposals = [d for d in disposals if d[0] <= as_at] or [(as_at, "caution", None, False,
                                                             False)]
    status, valid_until = status_and_validity(
        build_case(date_of_birth=DOB, as_at=as_at, disposals=disposals, events=events), as_at
    )
    if valid_until is None:
        return
    assert valid_until >= as_at
    for offset in offsets:
        later = as_at + dt.timedelta(days=offset)
        if later > valid_until or later > dt.date(2040, 1, 1):
            continue
        again, _ = status_and_validity(
            build_case(date_of_birth=DOB, as_at=later, disposals=disposals, events=events), later
        )
        assert again == status, f"status changed on {later}, valid until {valid_until}"
