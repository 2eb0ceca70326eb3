"""A small register with known duplicate identities across forces, and known different
people who look alike, built through the services."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from whereabouts.register import services
from whereabouts.register.services import AddressInput, DisposalInput

from ..conftest import TODAY
from .scenario import FORENAMES, SURNAMES


@dataclass
class Register:
    #: (record, its duplicate): each pair must be suggested.
    duplicates: list[tuple[Any, Any]]
    #: Pairs of different people that look alike: none may be suggested.
    distinct: list[tuple[Any, Any]]
    #: Twins at one address: suggested, for an officer to mark distinct.
    twins: tuple[Any, Any]
    everyone: list[Any] = field(default_factory=list)


def registered(make_person: Any, *, force: str = "west-midlands", convicted: str,
               home: tuple[str, str, str] | None = None, on: str | None = None,
               manager: Any = None, **kwargs: Any) -> Any:
    """A person with a disposal (so on the register from ``convicted``) and, if ``home``,
    an initial notification of it (on ``on``, default the day after the conviction)."""
    extra = {"manager": manager} if manager is not None else {}
    person = make_person(force=force, **extra, **kwargs)
    services.event_record(person_id=person.pk, kind="disposal", effective_date=convicted,
                          today=TODAY, recorded_by=None, source="test",
                          disposal=DisposalInput(offence="SOA 2003 s.3", kind="imprisonment",
                                                 months=40))
    if home is not None:
        when = on or (dt.date.fromisoformat(convicted) + dt.timedelta(days=1)).isoformat()
        line1, town, postcode = home
        services.event_record(person_id=person.pk, kind="notification.initial",
                              effective_date=when, today=TODAY, recorded_by=None,
                              source="test", addresses=[AddressInput(
                                  kind="home", line1=line1, town=town, postcode=postcode)])
    return person


def build(make_person: Any, make_user: Any, *, filler: int = 30) -> Register:
    staffs = make_user("om.staffs", "offender_manager", "staffordshire")
    mercia = make_user("om.mercia", "offender_manager", "west-mercia")
    smith = registered(make_person, family_name="Smith", given_names="Robert James",
                       dob="1980-05-01", ni_number="QQ123456A", convicted="2019-02-01",
                       home=("1 High Street", "Dudley", "DY1 1AA"))
    smyth = registered(make_person, force="staffordshire", manager=staffs, family_name="Smyth",
                       given_names="Bob", dob="1980-05-01", ni_number="QQ123456A",
                       convicted="2023-03-01", home=("3 Lichfield Road", "Stafford", "ST16 2AB"))
    price = registered(make_person, family_name="Price", given_names="Karen", dob="1975-03-14",
                       sex="F", convicted="2018-01-10", home=("4 Mill Lane", "Wolverhampton",
                                                              "WV1 1AA"))
    services.event_record(person_id=price.pk, kind="identity", effective_date="2020-01-01",
                          today=TODAY, recorded_by=None, source="test",
                          aliases=[("Hollis", "Karen", dt.date(1995, 1, 1),
                                    dt.date(2010, 1, 1))])
    hollis = registered(make_person, force="west-mercia", manager=mercia, family_name="Hollis",
                        given_names="Karen", dob="1975-03-14", sex="F", convicted="2022-06-01",
                        home=("7 Foregate Street", "Worcester", "WR1 1AA"))
    # Day and month swapped on one record, the same address history.
    walsh = registered(make_person, family_name="Walsh", given_names="Dean",
                       dob="1969-11-03", convicted="2017-05-05",
                       home=("9 Park Road", "Walsall", "WS1 2AB"))
    walsh2 = registered(make_person, family_name="Walsh", given_names="Dean",
                        dob="1969-03-11", convicted="2021-05-05",
                        home=("9 Park Road", "Walsall", "WS1 2AB"))
    # Different people who look alike.
    taylor1 = registered(make_person, family_name="Taylor", given_names="Paul",
                         dob="1970-01-01", ni_number="QQ100001A", convicted="2015-01-01",
                         home=("2 Oak Road", "Dudley", "DY2 2AA"))
    taylor2 = registered(make_person, force="staffordshire", manager=staffs,
                         family_name="Taylor", given_names="Paul", dob="1985-07-12",
                         ni_number="QQ100002B", convicted="2016-01-01",
                         home=("5 Elm Road", "Stafford", "ST16 3AA"))
    same_day1 = registered(make_person, family_name="Green", given_names="Gary",
                           dob="1966-06-06", convicted="2015-03-01",
                           home=("8 Ash Grove", "Dudley", "DY3 1AA"))
    same_day2 = registered(make_person, force="west-mercia", manager=mercia,
                           family_name="Morris", given_names="Lee", dob="1966-06-06",
                           convicted="2016-03-01", home=("6 Bath Road", "Worcester", "WR1 2AB"))
    brother1 = registered(make_person, family_name="Cooper", given_names="Wayne",
                          dob="1972-02-10", ni_number="QQ200001A", convicted="2014-01-01",
                          home=("1 Canal Side", "Walsall", "WS2 8AA"))
    brother2 = registered(make_person, force="staffordshire", manager=staffs,
                          family_name="Cooper", given_names="Craig", dob="1972-09-30",
                          ni_number="QQ200002B", convicted="2014-06-01",
                          home=("12 Mill Street", "Stafford", "ST16 2XY"))
    twin1 = registered(make_person, family_name="Kemp", given_names="John",
                       dob="1970-02-02", ni_number="QQ300001A", convicted="2016-01-01",
                       home=("3 Tower Street", "Dudley", "DY1 2BB"))
    twin2 = registered(make_person, family_name="Kemp", given_names="James",
                       dob="1970-02-02", ni_number="QQ300002B", convicted="2016-02-01",
                       home=("3 Tower Street", "Dudley", "DY1 2BB"))
    rng = random.Random(11)
    everyone = [smith, smyth, price, hollis, walsh, walsh2, taylor1, taylor2, same_day1,
                same_day2, brother1, brother2, twin1, twin2]
    for i in range(filler):
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
        everyone.append(registered(
            make_person, family_name=rng.choice(SURNAMES), given_names=rng.choice(FORENAMES),
            dob=dob.isoformat(), convicted="2015-01-01",
            home=(f"{i + 10} Church Road", "Dudley", f"DY{i % 9 + 1} 3AB")))
    return Register(duplicates=[(smith, smyth), (price, hollis), (walsh, walsh2)],
                    distinct=[(taylor1, taylor2), (same_day1, same_day2),
                              (brother1, brother2)],
                    twins=(twin1, twin2), everyone=everyone)


def pair(a: Any, b: Any) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
