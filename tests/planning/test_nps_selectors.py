"""NPS per account and quarter, the latest NPS, detractor risk and the factor's values."""

import datetime as dt

import numpy as np
import pytest

from planning.models import NpsAnswer
from planning.selectors import (
    nps_account_list,
    nps_by_quarter,
    nps_figure,
    nps_latest,
    nps_metric_values,
)
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _answers(customer, day: dt.date, scores: list[int]) -> None:
    NpsAnswer.objects.bulk_create(
        NpsAnswer(customer=customer, respondent=f"r{i}", answered_on=day, score=score)
        for i, score in enumerate(scores)
    )


@pytest.fixture
def alpha(db):
    alpha = CustomerFactory(code="A1", name="Alpha")
    _answers(alpha, dt.date(2026, 2, 10), [9, 9, 7, 7, 7, 6])  # Q1: 2 − 1 of 6 → 16.67
    _answers(alpha, dt.date(2026, 5, 2), [6, 6, 0, 9, 7])  # Q2: 1 − 3 of 5 → −40
    return alpha


def test_each_quarter_has_its_own_nps(alpha):
    periods = nps_by_quarter(customer=alpha)
    assert [(p.year, p.quarter, p.result.points, p.result.respondents) for p in periods] == [
        (2026, 1, 17, 6),
        (2026, 2, -40, 5),
    ]


@pytest.mark.parametrize(("minimum", "too_few"), [(5, False), (6, True)])
def test_the_guard_follows_the_setting_on_its_boundary(alpha, settings, minimum, too_few):
    settings.NPS_MIN_RESPONDENTS = minimum
    latest = nps_latest()[alpha.pk]  # Q2: 5 answers
    assert latest.result.too_few is too_few
    assert latest.at_risk is not too_few  # −40 is a risk only when shown


def test_four_answers_are_too_few_under_the_default(db):
    beta = CustomerFactory(code="B1", name="Beta")
    _answers(beta, dt.date(2026, 5, 2), [0, 0, 0, 0])
    latest = nps_latest()[beta.pk]
    assert latest.result.too_few
    assert not latest.at_risk


def test_the_list_puts_accounts_at_risk_first(alpha):
    happy = CustomerFactory(code="AA", name="Aardvark")
    _answers(happy, dt.date(2026, 5, 2), [10, 10, 9, 9, 8])
    assert [row.customer.name for row in nps_account_list()] == ["Alpha", "Aardvark"]


def test_the_factor_values_are_the_latest_nps_or_nothing(alpha, db):
    none = CustomerFactory(code="N1", name="No answers")
    values = nps_metric_values(customer_ids=[alpha.pk, none.pk])
    assert values[0] == -40.0
    assert np.isnan(values[1])


def test_the_chart_leaves_a_gap_for_a_quarter_with_too_few_answers(alpha):
    _answers(alpha, dt.date(2026, 8, 1), [10, 10])  # Q3: two answers
    figure = nps_figure(periods=nps_by_quarter(customer=alpha))
    line = figure["data"][0]
    assert line["x"] == ["Q1 2026", "Q2 2026", "Q3 2026"]
    assert line["y"] == [17, -40, None]
    assert line["customdata"] == [6, 5, 2]
