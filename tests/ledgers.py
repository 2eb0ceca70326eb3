"""Hypothesis strategies for ledger rows, shaped as ``register.case.build_case`` reads them."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

DOB = dt.date(1970, 1, 1)
START = dt.date(2000, 1, 1)

days = st.integers(min_value=0, max_value=6000).map(lambda n: START + dt.timedelta(days=n))

TERMED = ("imprisonment", "conditional_discharge")
disposal = st.tuples(
    days,
    st.sampled_from(["imprisonment", "caution", "other", "hospital_order",
                     "conditional_discharge"]),
    st.integers(min_value=1, max_value=48),
    st.booleans(),
).map(lambda t: (t[0], t[1], t[2] if t[1] in TERMED else None, False,
                 t[3] if t[1] == "hospital_order" else False))

event = st.tuples(
    st.sampled_from(["notification.initial", "notification.periodic", "notification.change",
                     "custody.start", "custody.end", "hospital.start", "hospital.end",
                     "abroad.start", "abroad.end"]),
    days,
    st.booleans(),
)
