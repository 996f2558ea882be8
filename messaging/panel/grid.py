"""The notification grid of one brand and channel: countries (by name, in the user's language) as
columns, statuses as rows, and the writes that change it.

Every change is one request whose answer carries only what changed (htmx out-of-band parts): a
switched cell answers that cell, its row and column heads and the cost estimate; a row or column
answers its cells and heads; a change of the countries themselves answers the grid card. A refused
change answers 422 with the reason (the shared save script puts the switch back and says why);
without JavaScript the forms post and come back to the page.
"""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views import View
from django_countries import countries as ISO_COUNTRIES
from django_htmx.http import trigger_client_event

from brands import selectors as brand_selectors
from core.errors import RuleViolation
from messaging.channels import channel_of
from messaging.cost_estimate import monthly_cost_estimate
from messaging.models import Channel
from messaging.panel.notifications import ChannelMixin
from messaging.regions import region_choices
from messaging.services.notification_grid import channel_copy_from, channel_countries_add, status_toggles_set
from messaging.services.notifications import channel_country_remove
from tracking.statuses import GROUP_OF, Group, Status

GRID = "panel/notifications/_grid.html"
DELTA = "panel/notifications/_grid_delta.html"
_LABEL = dict(Status.choices)


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def grid_context(*, brand, channel: str, document, account) -> dict:
    """Everything the grid card shows, from the stored document."""
    countries = sorted(((code, str(ISO_COUNTRIES.name(code))) for code in document.countries),
                       key=lambda pair: _sort_key(pair[1]))
    on = document.countries
    rows = []
    for group_code, group_label in Group.choices:
        statuses = [code for code, _ in Status.choices if GROUP_OF[code] == group_code]
        rows.append({"label": group_label, "rows": [_row(code, countries, on) for code in statuses]})
    starting = set(channel_of(channel).starting_statuses)
    return {
        "countries": countries,
        "columns": [_column(code, name, on) for code, name in countries],
        "grid": rows,
        "add_choices": sorted(((code, str(name)) for code, name in ISO_COUNTRIES if code not in on),
                              key=lambda pair: _sort_key(pair[1])),
        "regions": region_choices(),
        "start_choices": [(code, label, code in starting) for code, label in Status.choices],
        "copy_sources": [b for b in brand_selectors.brand_list(account=account) if b.pk != brand.pk],
        "estimate": monthly_cost_estimate(brand=brand, document=document),
    }


def _row(status: str, countries, on) -> dict:
    cells = [{"country": code, "name": name, "on": on[code][status]} for code, name in countries]
    count = sum(cell["on"] for cell in cells)
    return {"code": status, "label": _LABEL[status], "cells": cells, "all": bool(cells) and count == len(cells),
            "mixed": 0 < count < len(cells)}


def _column(code: str, name: str, on) -> dict:
    count = sum(on[code].values())
    return {"code": code, "name": name, "all": count == len(on[code]), "mixed": 0 < count < len(on[code])}


class GridMixin(ChannelMixin):
    def grid_answer(self, document, *, changed: set[tuple[str, str]] | None = None, whole: bool = False,
                    before=None, saved: str = "", error: str = "", error_field: str = ""):
        """The answer of a grid write. `changed`: the (country, status) cells it changed, for an
        answer of those cells only (`whole`: the table, every cell changed); None: the grid card
        (the countries themselves changed)."""
        if not self.request.htmx:
            if error:
                messages.error(self.request, error)
            else:
                messages.success(self.request, saved or gettext("Saved."))
            return redirect(self.page_url())
        context = {"brand": self.brand, "channel": self.channel, "document": document,
                   "channel_label": Channel(self.channel).label,
                   "error": error, "error_field": error_field,
                   **grid_context(brand=self.brand, channel=self.channel, document=document, account=self.account),
                   **channel_of(self.channel).settings_context(self.account)}
        if changed is None:
            response = render(self.request, GRID, context)
        else:
            statuses = {status for _, status in changed}
            countries = {country for country, _ in changed}
            # Heads only where their row/column box changed (all, some, none): a row switch
            # answers its cells and the few column boxes that moved, not 30 column heads.
            was = before.countries if before is not None else {}
            context["delta_rows"] = [row for group in context["grid"] for row in group["rows"] if row["code"] in statuses]
            context["head_rows"] = {row["code"] for row in context["delta_rows"]
                                    if _state([was.get(c, {}).get(row["code"]) for c in was]) != _state(
                                        [cell["on"] for cell in row["cells"]]) or before is None}
            context["delta_columns"] = [column for column in context["columns"] if column["code"] in countries
                                        and (before is None or _state(list(was.get(column["code"], {}).values()))
                                             != _state(list(document.countries[column["code"]].values())))]
            context["changed"] = {f"{country}-{status}" for country, status in changed}
            if whole:
                context.update(delta_rows=[], delta_columns=[], whole=True)
            response = render(self.request, DELTA, context)
        if saved and not error:
            trigger_client_event(response, "pc-saved", {"message": saved})
        return response

    def refused(self, exc: RuleViolation):
        """A refused cell or row/column change: 422 naming the field; the page puts the switch back."""
        if not self.request.htmx:
            messages.error(self.request, exc.message)
            return redirect(self.page_url())
        return HttpResponse(f"{exc.message}", status=422, content_type="text/plain; charset=utf-8",
                            headers={"X-Error-Field": exc.field})

    def run(self, write, **kwargs):
        before = self.current_document()
        try:
            return before, write(brand=self.brand, channel=self.channel, actor=None, **kwargs)
        except RuleViolation as exc:
            return before, exc

    def current_document(self):
        from messaging.selectors import channel_document

        return channel_document(brand=self.brand, channel=self.channel)


def _state(values: list) -> str:
    return "all" if values and all(values) else "some" if any(values) else "none"


def _changed_cells(before, after) -> set[tuple[str, str]]:
    return {(country, status) for country, statuses in after.countries.items()
            for status, on in statuses.items() if before.countries.get(country, {}).get(status) != on}


def _saved_cell(status: str, country: str, enabled: bool) -> str:
    names = {"status": _LABEL[status], "country": ISO_COUNTRIES.name(country)}
    return (gettext("Saved: %(status)s in %(country)s on.") if enabled
            else gettext("Saved: %(status)s in %(country)s off.")) % names


def _saved_bulk(status: str, country: str, enabled: bool) -> str:
    if country:
        text = gettext("Saved: every status in %(country)s on.") if enabled else gettext(
            "Saved: every status in %(country)s off.")
        return text % {"country": ISO_COUNTRIES.name(country)}
    if status:
        text = gettext("Saved: %(status)s in every country on.") if enabled else gettext(
            "Saved: %(status)s in every country off.")
        return text % {"status": _LABEL[status]}
    return gettext("Saved: every status in every country on.") if enabled else gettext(
        "Saved: every status in every country off.")


class ToggleView(GridMixin, View):
    """One cell: a status in a country."""

    def post(self, request, brand_id: int, channel: str):
        country, status = request.POST.get("country", ""), request.POST.get("status", "")
        enabled = request.POST.get("enabled") in ("on", "true", "1")
        before, after = self.run(status_toggles_set, countries=[country], statuses=[status], enabled=enabled)
        if isinstance(after, RuleViolation):
            return self.refused(after)
        return self.grid_answer(after, changed=_changed_cells(before, after) or {(country, status)}, before=before,
                                saved=_saved_cell(status, country, enabled))


class BulkToggleView(GridMixin, View):
    """A row (status=...), a column (country=...) or every switch of the channel (neither)."""

    def post(self, request, brand_id: int, channel: str):
        country, status = request.POST.get("country", ""), request.POST.get("status", "")
        enabled = request.POST.get("enabled") in ("on", "true", "1")
        before, after = self.run(status_toggles_set, countries=[country] if country else None,
                                 statuses=[status] if status else None, enabled=enabled)
        if isinstance(after, RuleViolation):
            return self.refused(after)
        return self.grid_answer(after, changed=_changed_cells(before, after), whole=not country and not status, before=before,
                                saved=_saved_bulk(status, country, enabled))


class CountriesAddView(GridMixin, View):
    """Several countries and/or a region in one request, starting with the statuses ticked."""

    def post(self, request, brand_id: int, channel: str):
        countries = [code for code in request.POST.getlist("country") if code]
        region = request.POST.get("region", "")
        statuses = request.POST.getlist("start") if request.POST.get("start_given") else None
        before, after = self.run(channel_countries_add, countries=countries, region=region, statuses=statuses)
        if isinstance(after, RuleViolation):
            return self.add_refused(after, before)
        added = len(set(after.countries) - set(before.countries))
        return self.grid_answer(after, saved=ngettext("Added %(count)d country.", "Added %(count)d countries.", added) % {"count": added})

    def add_refused(self, exc: RuleViolation, document):
        if not self.request.htmx:
            return self.grid_answer(document, error=exc.message)
        response = self.grid_answer(document, error=exc.message, error_field=exc.field)
        response.status_code = 422  # the save script swaps a 422 grid card: the reason shows in place
        return response


class CountryRemoveView(GridMixin, View):
    def post(self, request, brand_id: int, channel: str, country: str):
        before, after = self.run(channel_country_remove, country=country)
        if isinstance(after, RuleViolation):
            return self.add_refused(after, before)
        return self.grid_answer(after, saved=gettext("Removed %(country)s.") % {"country": ISO_COUNTRIES.name(country)})

    add_refused = CountriesAddView.add_refused


class CopyFromView(GridMixin, View):
    """Copy the countries and statuses of another brand of the account (same channel)."""

    def post(self, request, brand_id: int, channel: str):
        raw = request.POST.get("source", "")
        if not raw.isdigit():
            before = self.current_document()
            return self.add_refused(RuleViolation("source", gettext("Choose a brand to copy from."), code="required"), before)
        source = self.brand_or_404(raw)  # another account's brand: 404
        before, after = self.run(channel_copy_from, source=source)
        if isinstance(after, RuleViolation):
            return self.add_refused(after, before)
        return self.grid_answer(after, saved=ngettext("Copied %(count)d country from %(brand)s.", "Copied %(count)d countries from %(brand)s.",
                                                      len(after.countries)) % {"count": len(after.countries), "brand": source.name})

    add_refused = CountriesAddView.add_refused
