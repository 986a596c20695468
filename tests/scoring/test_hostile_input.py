"""Hostile input against the rating, factor set and round endpoints (hypothesis).

Whatever is posted, the answer is a clear refusal (4xx with a message) or a correct save,
never a server error, and nothing else in the database changes. Each example runs in a
savepoint that is rolled back, so examples do not see each other's writes.
"""

from decimal import Decimal
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import CompanySettings, Competitor, Customer, Segment
from kamapp.spreadsheets import FORMULA_PREFIXES, spreadsheet_safe
from scoring.models import Factor, Rating, ScoringRound
from scoring.services import factor_set_version
from tests.factories import FactorFactory, ScoringRoundFactory

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY_TEXT = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2",
        "@SUM(A1:A9)",
        "\t=1",
        "NaN",
        "-Infinity",
        "sNaN",
        "1e999999999",
        "1e-999999999",
        "10.001",
        "10,5",
        "٣",
        "²",
        "0x10",
        " 7 ",
        ".5",
        "7.",
        "\x00",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "9" * 40,
        "x" * 100_000,
        "",
    ]
)
ANY_TEXT = st.one_of(
    NASTY_TEXT, st.text(max_size=300), st.integers().map(str), st.floats().map(str)
)


def _hashable(row: tuple) -> tuple:
    """JSON values (a derived factor's bands) as text, so rows fit in a set."""
    return tuple(repr(value) if isinstance(value, list | dict) else value for value in row)


def _snapshot() -> dict:
    """Every row that a request could touch, as plain values."""
    return {
        model.__name__: {_hashable(row) for row in model.objects.values_list()}
        for model in (
            Rating,
            Factor,
            ScoringRound,
            Customer,
            Competitor,
            Segment,
            CompanySettings,
        )
    } | {"audit": LogEntry.objects.count()}


def _rolled_back(post):
    """Run one example's request in a savepoint that is then rolled back."""
    with transaction.atomic():
        before = _snapshot()
        response = post()
        after = _snapshot()
        transaction.set_rollback(True)
    return before, response, after


def _message_of(response) -> str:
    return response.content.decode(errors="replace")


@pytest.fixture
def other_round(small_round):
    """A second round whose factors and ratings no request on the first may touch."""
    scoring_round = ScoringRoundFactory(name="Other round")
    FactorFactory(round=scoring_round, name="Elsewhere", weight=100)
    return scoring_round


@HOSTILE
@given(
    value=ANY_TEXT,
    customer=st.one_of(st.sampled_from(["mine", "other"]), ANY_TEXT),
    factor=st.one_of(st.sampled_from(["a1", "s1", "foreign"]), ANY_TEXT),
    competitor=st.one_of(st.none(), st.just("rival"), ANY_TEXT),
)
def test_rating_endpoint_refuses_or_stores_and_changes_nothing_else(
    client, rated_round, other_round, value, customer, factor, competitor
):
    r = rated_round
    client.force_login(r.rater)
    ids = {
        "mine": r.mine.pk,
        "other": r.other.pk,
        "a1": r.a1.pk,
        "s1": r.s1.pk,
        "foreign": other_round.factors.get().pk,
        "rival": r.competitor.pk,
    }
    data = {"customer": ids.get(customer, customer), "factor": ids.get(factor, factor)}
    data["value"] = value
    if competitor is not None:
        data["competitor"] = ids.get(competitor, competitor)
    url = reverse("scoring:rating_save", args=[r.round.pk])
    before, response, after = _rolled_back(lambda: client.post(url, data))

    assert response.status_code in {200, 403, 404, 422}, (data, response.status_code)
    if response.status_code == 422:
        assert "error" in _message_of(response) or "not a number" in _message_of(response)
    if response.status_code != 200:
        assert after == before
        return
    # Stored: only the rater's rating of this one cell changed.
    changed = before["Rating"] ^ after["Rating"]
    cell = (int(data["customer"]), int(data["factor"]), r.rater.pk)
    assert {(row[2], row[3], row[4]) for row in changed} <= {cell}
    for model in ("Factor", "ScoringRound", "Customer", "Competitor", "Segment"):
        assert after[model] == before[model], model


@HOSTILE
@given(
    names=st.lists(ANY_TEXT, min_size=0, max_size=4),
    weights=st.lists(ANY_TEXT, min_size=0, max_size=4),
    ids=st.lists(
        st.one_of(st.none(), st.sampled_from(["s1", "s2", "foreign"]), ANY_TEXT), max_size=4
    ),
    deletes=st.lists(st.booleans(), max_size=4),
    total_forms=st.one_of(st.just(None), ANY_TEXT),
    axis=st.one_of(st.just("strength"), st.just("attractiveness"), ANY_TEXT),
    version=st.one_of(st.just("drawn"), ANY_TEXT),
)
def test_factor_set_refuses_or_saves_and_changes_nothing_else(
    client,
    rated_round,
    other_round,
    team_user,
    names,
    weights,
    ids,
    deletes,
    total_forms,
    axis,
    version,
):
    r = rated_round
    client.force_login(team_user)
    known = {"s1": r.s1.pk, "s2": r.s2.pk, "foreign": other_round.factors.get().pk}
    rows = max(len(names), len(weights), len(ids))
    prefix = axis
    drawn = factor_set_version(factors=list(r.round.factors.filter(axis=axis)))
    data = {
        "axis": axis,
        "version": drawn if version == "drawn" else version,
        f"{prefix}-TOTAL_FORMS": str(rows) if total_forms is None else total_forms,
        f"{prefix}-INITIAL_FORMS": "0",
    }
    for index in range(rows):
        row_id = ids[index] if index < len(ids) else None
        if row_id is not None:
            data[f"{prefix}-{index}-id"] = known.get(row_id, row_id)
        data[f"{prefix}-{index}-name"] = names[index] if index < len(names) else ""
        data[f"{prefix}-{index}-weight"] = weights[index] if index < len(weights) else ""
        data[f"{prefix}-{index}-consideration"] = "pure"
        if index < len(deletes) and deletes[index]:
            data[f"{prefix}-{index}-DELETE"] = "on"
    url = reverse("scoring:factor_set", args=[r.round.pk])
    before, response, after = _rolled_back(lambda: client.post(url, data))

    # 400: Django refuses a body it cannot parse (e.g. a field name thousands of bytes long).
    assert response.status_code in {302, 400, 404, 422}, (data, response.status_code)
    if response.status_code != 302:
        assert after == before
        return
    # Saved: only this round's factors changed; the other round is untouched.
    assert after["ScoringRound"] == before["ScoringRound"]
    other_factors = {_hashable(row) for row in other_round.factors.values_list()}
    assert other_factors <= after["Factor"]
    saved = Factor.objects.filter(round=r.round, axis=axis)
    assert sum(f.weight for f in saved) in {Decimal(0), Decimal(100)}


@HOSTILE
@given(weights=st.lists(ANY_TEXT, max_size=5), total_forms=ANY_TEXT, axis=ANY_TEXT)
def test_running_weight_sum_answers_any_input(
    client, small_round, team_user, weights, total_forms, axis
):
    client.force_login(team_user)
    data = {f"strength-{i}-weight": weight for i, weight in enumerate(weights)}
    data["strength-TOTAL_FORMS"] = total_forms
    data["strength-INITIAL_FORMS"] = "0"
    for chosen in (axis, "strength"):
        url = f"/rounds/{small_round.round.pk}/factors/{quote(chosen, safe='')}/sum/"
        before, response, after = _rolled_back(lambda url=url: client.post(url, data))
        assert response.status_code in {200, 404}, (data, response.status_code)
        assert after == before


@HOSTILE
@given(
    name=ANY_TEXT,
    date=st.one_of(
        st.dates().map(str),
        st.sampled_from(["0000-01-01", "9999-12-31", "2027-02-30", "31/12/2027", "2027-13-01"]),
        ANY_TEXT,
    ),
    copy_from=st.one_of(st.none(), st.just("round"), ANY_TEXT),
)
def test_round_creation_refuses_or_creates_one_round(
    client, small_round, team_user, name, date, copy_from
):
    client.force_login(team_user)
    data = {"name": name, "date": date}
    if copy_from is not None:
        data["copy_factors_from"] = small_round.round.pk if copy_from == "round" else copy_from
    before, response, after = _rolled_back(lambda: client.post(reverse("scoring:round_new"), data))

    assert response.status_code in {302, 422}, (data, response.status_code)
    if response.status_code == 422:
        assert 'class="errorlist' in _message_of(response)
        assert after == before
        return
    new_rounds = after["ScoringRound"] - before["ScoringRound"]
    assert len(new_rounds) == 1
    (created,) = new_rounds
    assert created[1] == name.strip()
    assert after["Rating"] == before["Rating"]
    assert before["Factor"] <= after["Factor"]


@given(text=st.text(max_size=50))
def test_spreadsheet_safe_defuses_every_formula_prefix(text):
    safe = spreadsheet_safe(text)
    if text.startswith(FORMULA_PREFIXES):
        assert safe == "'" + text
    else:
        assert safe == text


@given(number=st.one_of(st.integers(), st.floats(allow_nan=False), st.none()))
def test_spreadsheet_safe_leaves_numbers_alone(number):
    assert spreadsheet_safe(number) == number
