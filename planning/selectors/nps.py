"""Reads of the NPS: per account and calendar quarter, each account's latest, the detractor
risk, the survey imports, and the values a strength factor bound to the NPS is rated from.

The period is the calendar quarter of the answer's date. An account's "latest NPS" is that
of the latest quarter in which it has answers; with fewer than NPS_MIN_RESPONDENTS answers
there it reads "too few answers" (and a factor bound to the NPS leaves the account unrated).
Detractor risk: the latest quarter's NPS, with enough answers, is below zero.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Customer
from accounts.money import plotly_separators
from kamapp.charts import INK

from ..models import NpsAnswer, SurveyImport
from ..nps_score import NpsResult, nps_compute, quarter_of


@dataclass(frozen=True)
class NpsPeriod:
    year: int
    quarter: int
    result: NpsResult

    @property
    def label(self) -> str:
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}

    @property
    def at_risk(self) -> bool:
        """Detractor risk: more detractors than promoters, among enough answers."""
        return self.result.score is not None and self.result.score < 0


@dataclass(frozen=True)
class NpsAccountRow:
    customer: Customer
    latest: NpsPeriod


def nps_min_respondents() -> int:
    return settings.NPS_MIN_RESPONDENTS


def _periods(rows) -> dict[int, list[NpsPeriod]]:
    """(customer id, date, score) rows -> each customer's quarters, oldest first."""
    grouped: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    for customer_id, day, score in rows:
        grouped[customer_id][quarter_of(day)].append(score)
    minimum = nps_min_respondents()
    return {
        customer_id: [
            NpsPeriod(year, quarter, nps_compute(scores, min_respondents=minimum))
            for (year, quarter), scores in sorted(quarters.items())
        ]
        for customer_id, quarters in grouped.items()
    }


def _answer_rows(customer_ids=None):
    answers = NpsAnswer.objects.all()
    if customer_ids is not None:
        answers = answers.filter(customer_id__in=customer_ids)
    return answers.values_list("customer_id", "answered_on", "score")


def nps_by_quarter(*, customer: Customer) -> list[NpsPeriod]:
    """The account's NPS in each quarter it has answers, oldest first."""
    return _periods(_answer_rows([customer.pk])).get(customer.pk, [])


def nps_latest(*, customer_ids=None) -> dict[int, NpsPeriod]:
    """Each account's latest quarter with answers (all accounts, or those named)."""
    return {pk: periods[-1] for pk, periods in _periods(_answer_rows(customer_ids)).items()}


def nps_account_list() -> list[NpsAccountRow]:
    """The accounts with answers and their latest NPS, those at risk first, then by name."""
    latest = nps_latest()
    customers = Customer.objects.filter(pk__in=latest).order_by("name", "pk")
    rows = [NpsAccountRow(customer=customer, latest=latest[customer.pk]) for customer in customers]
    return sorted(rows, key=lambda row: not row.latest.at_risk)


def nps_figure(*, periods: list[NpsPeriod]) -> dict:
    """The plotly figure of the NPS over time: one point a quarter, oldest first; a quarter
    with too few answers is a gap in the line, never a point."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": [period.label for period in periods],
            "y": [period.result.points for period in periods],
            "customdata": [period.result.respondents for period in periods],
            "line": {"color": INK, "width": 3},
            "hovertemplate": _("%(quarter)s: NPS %(score)s, %(count)s respondents")
            % {"quarter": "%{x}", "score": "%{y}", "count": "%{customdata}"}
            + "<extra></extra>",
        }
    ]
    layout = {
        "xaxis": {"type": "category", "title": {"text": _("Quarter")}},
        "yaxis": {"title": {"text": _("NPS")}, "range": [-100, 100], "zeroline": True},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "showlegend": False,
        "height": 320,
        "separators": plotly_separators(),
    }
    return {"data": data, "layout": layout}


def nps_answers(*, customer: Customer, limit: int = 50):
    """The account's latest answers, newest first."""
    return NpsAnswer.objects.filter(customer=customer).order_by("-answered_on", "respondent")[
        :limit
    ]


def nps_metric_values(*, customer_ids: list[int]) -> np.ndarray:
    """The latest quarter's NPS of each account as a float, NaN with too few or no answers:
    what a strength factor bound to the NPS is rated from (registered in PlanningConfig)."""
    latest = nps_latest(customer_ids=customer_ids)

    def value(pk: int) -> float:
        period = latest.get(pk)
        if period is None or period.result.score is None:
            return np.nan
        return float(period.result.score)

    return np.array([value(pk) for pk in customer_ids], dtype=float)


def survey_import_list(*, limit: int = 20):
    return SurveyImport.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]


def survey_import_get(*, pk: int) -> SurveyImport:
    return SurveyImport.objects.get(pk=pk)


def survey_import_earlier(*, survey_import: SurveyImport) -> SurveyImport | None:
    """The first import done of a file with the same checksum, if any."""
    return (
        SurveyImport.objects.filter(
            checksum=survey_import.checksum, status=SurveyImport.Status.DONE, same_as__isnull=True
        )
        .exclude(pk=survey_import.pk)
        .order_by("created_at", "pk")
        .first()
    )
