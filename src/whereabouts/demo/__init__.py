"""The synthetic "West Midlands, autumn 2017" scenario and the national register around it."""

import datetime as dt

#: The demo's "today": the publication date of the article the scenario rebuilds.
SCENARIO_TODAY = dt.date(2017, 11, 6)
#: The date of the FOI answers the scenario's figures are reported as at.
FOI_DATE = dt.date(2017, 9, 30)
