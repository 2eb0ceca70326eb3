"""Figures as at a date (exact, for staff) and FOI response packs (disclosure-controlled).

Who may open what (one condition per line, the same 404 for everyone refused):
- the figures page and its downloads: analysts and casework staff (exact management figures;
  every look is logged by the selector);
- the FOI pack: analysts, senior officers and, once the role exists, FOI officers.
Partners, auditors and administrators see neither.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from whereabouts.access import policy
from whereabouts.access.models import Role
from whereabouts.clock import today
from whereabouts.register.models import Force
from whereabouts.reports import export
from whereabouts.reports.figures import Scope
from whereabouts.reports.foi import build_pack, pack_zip
from whereabouts.reports.selectors import management_figures, page_charts

from .forms import DateField

# The exact figures: whoever holds "figures.view" in the permissions table
# (access/permissions.py). FOI packs: analysts, senior officers and FOI officers.
FOI_ROLES = (Role.ANALYST, Role.SENIOR_OFFICER, Role.FOI_OFFICER)


class FiguresForm(forms.Form):
    as_at = DateField(label="As at")
    region = forms.ChoiceField(label="Region")
    threshold = forms.IntegerField(label="FOI: show counts below this as 'fewer than'",
                                   min_value=1, max_value=20, initial=5, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = sorted(set(Force.objects.values_list("region", flat=True)))
        self.fields["region"].choices = [(r, r) for r in regions]


def _chosen(request: HttpRequest) -> tuple[FiguresForm, dt.date, str, int]:
    profile = policy.profile_of(request.user)
    region = profile.force.region if profile and profile.force else "West Midlands"
    form = FiguresForm(request.GET or None, initial={"as_at": today(), "region": region,
                                                      "threshold": 5})
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, data["as_at"], data["region"], data.get("threshold") or 5
    return form, today(), region, 5


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not policy.may(request.user, "figures.view"):
        raise Http404
    form, as_at, region, threshold = _chosen(request)
    report: dict[str, Any] | None = None
    if not request.GET or form.is_valid():
        report = management_figures(as_at, scope=Scope(region=region), actor=request.user,
                                    via=" (figures page)")
    return render(request, "web/figures.html", {
        "form": form, "report": report, "as_at": as_at, "region": region,
        "threshold": threshold, "query": request.GET.urlencode(),
        "charts": page_charts(as_at, report) if report else [],
        "may_foi": policy.has_role(request.user, *FOI_ROLES)})


@login_required
def figures_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if not policy.may(request.user, "figures.view"):
        raise Http404
    if fmt not in export.FORMATS:
        raise Http404
    form, as_at, region, _ = _chosen(request)
    if request.GET and not form.is_valid():
        raise Http404
    report = management_figures(as_at, scope=Scope(region=region), actor=request.user,
                                via=f" (download, {fmt})")
    if fmt == "json":
        data = json.dumps(report, indent=2).encode()
    else:
        header, rows = export.figures_table(report)
        data = export.to_csv(header, rows) if fmt == "csv" else export.write(
            fmt, header, rows, notes=report["caveats"])
    response = HttpResponse(data, content_type=export.CONTENT_TYPES[fmt])
    slug = region.lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="figures-{slug}-{as_at}.{fmt}"'
    return response


@login_required
def foi_pack(request: HttpRequest) -> HttpResponse:
    if not policy.has_role(request.user, *FOI_ROLES):
        raise Http404
    form, as_at, region, threshold = _chosen(request)
    if request.GET and not form.is_valid():
        raise Http404
    pack = build_pack(as_at, scope=Scope(region=region), threshold=threshold,
                      actor=request.user, request_reference=request.GET.get("reference",
                                                                            "")[:100])
    response = HttpResponse(pack_zip(pack), content_type="application/zip")
    slug = region.lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="foi-{slug}-{as_at}.zip"'
    return response
