"""The report's filters, from the query string: a bad value is a 400 with its message."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseKind
from reporting.selectors import ReportFilters, default_period

MAX_DAYS = 366 * 10


class _DateInput(forms.DateInput):
    input_type = "date"


def _organisation_field(organisations: list[str]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Referring organisation"),
        required=False,
        choices=[("", _("All organisations")), *((name, name) for name in organisations)],
    )


class ReportFilterForm(forms.Form):
    """Period (on the referral date), kind of case and referring organisation."""

    start = forms.DateField(label=_("Referred from"), widget=_DateInput(format="%Y-%m-%d"))
    end = forms.DateField(
        label=_("Referred up to and including"), widget=_DateInput(format="%Y-%m-%d")
    )
    kind = forms.ModelChoiceField(
        label=_("Kind of case"),
        queryset=CaseKind.objects.all(),
        required=False,
        empty_label=_("All kinds"),
        to_field_name="code",
    )

    def __init__(self, data, *, organisations: list[str]):
        start, end = default_period()
        defaults = {"start": start.isoformat(), "end": end.isoformat()}
        super().__init__({**defaults, **data.dict()})
        self.fields["organisation"] = _organisation_field(organisations)

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("start", _("The period must start on or before its last day."))
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("end", _("The period can be at most ten years."))
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            organisation=data["organisation"],
        )


class AnnualForm(forms.Form):
    """The year of the annual overview and, optionally, one referring organisation."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, data, *, organisations: list[str]):
        super().__init__({"year": str(timezone.localdate().year), **data.dict()})
        self.fields["organisation"] = _organisation_field(organisations)

    def filters(self) -> ReportFilters:
        year = self.cleaned_data["year"]
        return ReportFilters(
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            organisation=self.cleaned_data["organisation"],
        )
