"""Attractiveness factors rated automatically from the ledger's metrics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import metrics_recompute
from scoring.models import DerivedRating, Factor, Rating
from scoring.selectors import round_matrix
from scoring.services import factor_set_save
from tests.factories import CustomerFactory, LedgerLineFactory
from tests.fixtures.rounds import factor_set_post, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def recompute(django_capture_on_commit_callbacks):
    """A recompute as the worker runs it: committed, so `metrics_recomputed` reaches scoring."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return metrics_recompute()

    return run


@pytest.fixture
def derived_round(rated_round):
    """Size is derived from revenue by percentile; three accounts bought 9,000, 1,000, 5,000."""
    r = rated_round
    third = CustomerFactory(code="T3", name="Gamma")
    today = dt.date.today()
    for customer, amount in ((r.mine, 9000), (r.other, 1000), (third, 5000)):
        LedgerLineFactory(customer=customer, invoice_date=today, amount=Decimal(amount))
    Factor.objects.filter(pk=r.a1.pk).update(metric="revenue", derivation="percentile")
    r.a1.refresh_from_db()
    return r


def test_a_recompute_rates_derived_factors_by_percentile(derived_round, recompute):
    r = derived_round
    recompute()
    values = dict(DerivedRating.objects.values_list("customer__code", "value"))
    # Revenue ranks 3, 1, 2 of 3 → 10, 0, 5.
    assert values == {"M1": Decimal("10"), "O1": Decimal("0"), "T3": Decimal("5")}
    position = round_matrix(scoring_round=r.round).by_customer()[r.mine.pk]
    # The derived 10 replaces the owner's 9: 0.6×10 + 0.4×5 = 8.
    assert position.attractiveness == pytest.approx(8.0)


def test_bands_rate_from_admin_thresholds(derived_round, recompute):
    r = derived_round
    Factor.objects.filter(pk=r.a1.pk).update(
        derivation="bands", bands=[[0, 1], [4000, 6], [8000, 9]]
    )
    recompute()
    values = dict(DerivedRating.objects.values_list("customer__code", "value"))
    assert values == {"M1": Decimal("9"), "O1": Decimal("1"), "T3": Decimal("6")}


def test_people_cannot_overwrite_a_derived_rating(client, derived_round):
    r = derived_round
    with pytest.raises(ValidationError, match="rated automatically"):
        record(r, "2")
    client.force_login(r.rater)
    response = client.post(
        reverse("scoring:rating_save", args=[r.round.pk]),
        {"customer": r.mine.pk, "factor": r.a1.pk, "value": "2"},
    )
    assert response.status_code == 422
    assert Rating.objects.get(factor=r.a1, customer=r.mine).value == 9


def test_the_grid_shows_derived_cells_as_derived(client, derived_round, recompute):
    r = derived_round
    recompute()
    client.force_login(r.rater)
    content = client.get(reverse("scoring:rating_grid", args=[r.round.pk])).content.decode()
    row = content.split(f'data-customer="{r.mine.pk}"')[1].split("</tr>")[0]
    assert 'class="cell derived"' in row
    assert '<span class="derived-value">10</span>' in row
    assert row.count('class="rating-input"') == 1  # only Openness takes typing


def test_saving_the_factor_set_binds_a_metric_and_rates_at_once(small_round):
    r = small_round
    CustomerFactory(code="Z9")
    metrics_recompute()
    rows = [
        {
            "id": r.a1.pk,
            "name": "Size",
            "weight": 60,
            "consideration": "pure",
            "metric": "months_active",
            "derivation": "percentile",
            "bands": [],
        },
        {"id": r.a2.pk, "name": "Openness", "weight": 40, "consideration": "success"},
    ]
    factor_set_save(scoring_round=r.round, axis="attractiveness", factors=rows)
    assert Factor.objects.get(pk=r.a1.pk).metric == "months_active"
    assert DerivedRating.objects.filter(factor=r.a1).count() == 3


def test_factor_form_explains_a_malformed_band(client, small_round, team_user):
    r = small_round
    client.force_login(team_user)
    size = {"id": r.a1.pk, "name": "Size", "weight": "60", "consideration": "pure"}
    openness = {"id": r.a2.pk, "name": "Openness", "weight": "40", "consideration": "success"}
    size |= {"metric": "revenue", "derivation": "bands", "bands": "0=2; lots=5"}
    data = factor_set_post("attractiveness", [size, openness], drawn_from=r.round)
    response = client.post(reverse("scoring:factor_set", args=[r.round.pk]), data)
    assert response.status_code == 422
    assert "“lots=5” is not a band" in response.content.decode()
    assert Factor.objects.get(pk=r.a1.pk).metric == ""
