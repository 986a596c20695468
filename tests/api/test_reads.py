"""Data out: customers, tier history, rounds, the matrix as the caller may see it, and
decisions; cursor pages stable under inserts, ETags, changed_since."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer, CustomerMetrics, LedgerLine, MetricsRun, TierSnapshot
from accounts.services import customer_competitor_flag, metrics_recompute
from scoring.models import Decision, ScoringRound
from tests.accounts.ledger import DAY, buy
from tests.api.conftest import bearer
from tests.factories import CustomerFactory, SegmentFactory, UserFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


def _get(client, url, raw, **params):
    return client.get(url, params, headers=bearer(raw))


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_a_customer_without_metrics_has_none_and_reads_the_same_in_list_and_detail(
    client, token_for, team_user
):
    CustomerFactory(code="N1", name="No ledger yet", segment=None, competitor_targeted=True)
    raw = token_for(team_user)
    detail = _get(client, reverse("api:customer_detail", args=["N1"]), raw).json()
    assert detail["metrics"] is None and detail["tier"] is None and detail["stage"] is None
    assert detail["segment"] is None and detail["owner"] is None and detail["box"] is None
    assert detail["signals"] == {
        "large_buyer": False,
        "pareto_top": False,
        "loyal": False,
        "targeted": True,
        "late_payer": False,
    }
    assert _get(client, reverse("api:customer_list"), raw).json()["items"] == [detail]


def test_customers_come_in_cursor_pages_stable_under_inserts(client, token_for, team_user):
    for number in range(5):
        CustomerFactory(code=f"C{number}", name=f"Customer {number}")
    raw = token_for(team_user)
    url = reverse("api:customer_list")
    first = _get(client, url, raw, limit=2).json()
    assert [item["code"] for item in first["items"]] == ["C0", "C1"]
    # New customers arrive while the CRM pages through: no page shifts, none is repeated.
    CustomerFactory(code="NEW", name="Aardvark first by name")
    seen = [item["code"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = _get(client, url, raw, limit=2, cursor=cursor).json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ["C0", "C1", "C2", "C3", "C4", "NEW"]
    assert first["next"].startswith("http://testserver/api/v1/customers?")
    assert "limit=2" in first["next"] and f"cursor={first['next_cursor']}" in first["next"]


def test_a_forged_cursor_is_refused(client, token_for, team_user):
    response = _get(client, reverse("api:customer_list"), token_for(team_user), cursor="bm9wZQ")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_cursor",
        "message": "This cursor is not one the API gave.",
        "field": "cursor",
        "row": None,
    }


def test_a_customer_carries_tier_metrics_signals_and_stage(client, token_for, two_tiers):
    r = two_tiers
    segment = SegmentFactory(name="Retail")
    r.mine.segment = segment
    r.mine.competitor_targeted = True
    r.mine.save()
    CustomerMetrics.objects.filter(customer=r.mine).update(stage="growing", loyal=True)
    response = _get(client, reverse("api:customer_detail", args=["M1"]), token_for(r.rater))
    body = response.json()
    assert body["code"] == "M1" and body["segment"] == "Retail" and body["owner"] == "manager-t"
    assert body["tier"] == "A" and body["stage"] == "growing"
    assert body["metrics"]["revenue"] == "2000000.00"
    assert body["signals"] == {
        "large_buyer": False,
        "pareto_top": False,
        "loyal": True,
        "targeted": True,
        "late_payer": False,
    }


def test_customers_filter_by_tier_owner_and_segment(client, token_for, two_tiers):
    r = two_tiers
    raw = token_for(r.rater)
    url = reverse("api:customer_list")
    assert _codes(_get(client, url, raw, tier="C")) == ["O1"]
    assert _codes(_get(client, url, raw, owner="manager-t")) == ["M1"]
    assert _codes(_get(client, url, raw, owner="nobody-at-all")) == []
    assert _codes(_get(client, url, raw, segment="None such")) == []


def test_an_unknown_customer_is_a_404_in_the_error_shape(client, token_for, team_user):
    response = _get(client, reverse("api:customer_detail", args=["NOPE"]), token_for(team_user))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_etag_answers_304_until_the_data_changes(client, token_for, team_user):
    customer = CustomerFactory(code="E1", name="Etag Ltd")
    raw = token_for(team_user)
    url = reverse("api:customer_list")
    first = _get(client, url, raw)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(url, headers={**bearer(raw), "If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    customer.name = "Etag Limited"
    customer.save()
    changed = client.get(url, headers={**bearer(raw), "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def _run(finished_at, tiers: dict) -> MetricsRun:
    run = MetricsRun.objects.create(
        trigger="command", status="succeeded", started_at=finished_at, finished_at=finished_at
    )
    for customer, tier in tiers.items():
        TierSnapshot.objects.create(run=run, customer=customer, tier=tier)
        CustomerMetrics.objects.update_or_create(
            customer=customer, defaults={"run": run, "rank": 1, "tier": tier}
        )
    return run


def test_changed_since_returns_what_a_crm_must_sync_again(client, token_for, small_round):
    r = small_round
    segment = SegmentFactory(name="Retail")
    still = CustomerFactory(code="S1", name="Still")
    late = CustomerFactory(code="L1", name="Pays late now")
    decided = CustomerFactory(code="D1", name="Decided")
    renamed = CustomerFactory(code="R1", name="Renamed")
    flagged = CustomerFactory(code="F1", name="Courted")
    CustomerFactory(code="G1", name="Segment renamed", segment=segment)
    owned = CustomerFactory(code="W1", name="Owner renamed", owner=UserFactory(username="ann"))
    orphaned = CustomerFactory(code="X1", name="Owner left", owner=UserFactory(username="bob"))
    for customer in (still, late):
        buy(customer, 500, due_date=DAY, paid_date=DAY)
    metrics_recompute()
    long_ago = timezone.now() - dt.timedelta(days=2)
    Customer.objects.update(updated_at=long_ago)
    CustomerMetrics.objects.update(changed_at=long_ago)
    since = timezone.now() - dt.timedelta(hours=1)
    # Paid 40 days late: late's payment metrics and signal move, its tier and revenue do not.
    LedgerLine.objects.filter(customer=late).update(paid_date=DAY + dt.timedelta(days=40))
    metrics_recompute()
    assert CustomerMetrics.objects.get(customer=late).tier == "A"
    renamed.name = "Renamed Ltd"
    renamed.save()
    customer_competitor_flag(customer=flagged, targeted=True, user=UserFactory(is_superuser=True))
    segment.name = "Retail and wholesale"
    segment.save()
    owned.owner.username = "ann-marie"
    owned.owner.save()
    orphaned.owner.delete()
    stage_set(r, ScoringRound.Status.MEETING)
    Decision.objects.create(
        round=r.round, customer=decided, choice="key", coverage="farmer", rationale=""
    )
    raw = token_for(r.rater)
    url = reverse("api:customer_list")
    response = _get(client, url, raw, changed_since=since.isoformat())
    assert _codes(response) == ["L1", "D1", "R1", "F1", "G1", "W1", "X1"]
    body = {item["code"]: item for item in response.json()["items"]}
    assert body["L1"]["metrics"]["avg_days_late"] == 40 and body["L1"]["signals"]["late_payer"]
    assert body["G1"]["segment"] == "Retail and wholesale" and body["X1"]["owner"] is None
    # A decision in a round that is blind again (sent back to scoring) is no change to show.
    stage_set(r, ScoringRound.Status.SCORING)
    response = _get(client, url, raw, changed_since=since.isoformat())
    assert "D1" not in _codes(response)
    # The same set through cursor pages, two at a time.
    seen, cursor = [], None
    while True:
        params = {
            "changed_since": since.isoformat(),
            "limit": 2,
            **({"cursor": cursor} if cursor else {}),
        }
        page = _get(client, url, raw, **params).json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["L1", "R1", "F1", "G1", "W1", "X1"]


def test_changed_since_reads_a_page_in_as_many_queries_for_any_number_of_customers(
    client, token_for, team_user
):
    raw = token_for(team_user)
    since = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    url = reverse("api:customer_list")
    _get(client, url, raw)  # the token's first use also records when it was used
    counts = []
    for number in (2, 8):
        for index in range(number - Customer.objects.count()):
            buy(CustomerFactory(), 100 + index)
        metrics_recompute()
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, url, raw, changed_since=since)
        assert len(response.json()["items"]) == number
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_tier_history_newest_first_in_pages(client, token_for, team_user):
    customer = CustomerFactory(code="H1", name="History")
    start = timezone.now() - dt.timedelta(days=3)
    runs = [
        _run(start + dt.timedelta(days=day), {customer: tier}) for day, tier in enumerate("CBA")
    ]
    raw = token_for(team_user)
    url = reverse("api:customer_tiers", args=["H1"])
    first = _get(client, url, raw, limit=2).json()
    assert [(item["run"], item["tier"]) for item in first["items"]] == [
        (runs[2].pk, "A"),
        (runs[1].pk, "B"),
    ]
    rest = _get(client, url, raw, limit=2, cursor=first["next_cursor"]).json()
    assert [item["tier"] for item in rest["items"]] == ["C"] and rest["next_cursor"] is None


def test_rounds_list_stage_factors_weights_and_cutoffs(client, token_for, small_round):
    r = small_round
    body = _get(client, reverse("api:round_list"), token_for(r.rater)).json()
    (item,) = body["items"]
    assert item["stage"] == "scoring" and item["ratings_revealed"] is False
    assert item["attractiveness_cutoff"] == "5.00"
    assert [(f["axis"], f["name"], f["weight"]) for f in item["factors"]] == [
        ("attractiveness", "Size", "60.00"),
        ("attractiveness", "Openness", "40.00"),
        ("strength", "Quality", "50.00"),
        ("strength", "Delivery", "50.00"),
    ]


def test_rounds_filter_by_stage(client, token_for, small_round):
    r = small_round
    raw = token_for(r.rater)
    url = reverse("api:round_list")
    assert [item["id"] for item in _get(client, url, raw, stage="scoring").json()["items"]] == [
        r.round.pk
    ]
    assert _get(client, url, raw, stage="decided").json()["items"] == []
    response = _get(client, url, raw, stage="voting")
    assert response.status_code == 422 and response.json()["error"]["field"] == "stage"


def _matrix(client, r, raw) -> dict:
    body = client.get(reverse("api:round_matrix", args=[r.round.pk]), headers=bearer(raw))
    assert body.status_code == 200, body.content
    return {item["customer"]: item for item in body.json()["items"]}


def test_the_matrix_shows_the_rater_their_own_scores_and_box(client, token_for, rated_round):
    r = rated_round
    alpha = _matrix(client, r, token_for(r.rater))["M1"]
    # 0.6 × 9 + 0.4 × 5 = 7.4; us 0.5 × 8 + 0.5 × 6 = 7, rival 4: 10 × 7 / 11.
    assert alpha["attractiveness"] == pytest.approx(7.4)
    assert alpha["relative_strength"] == pytest.approx(70 / 11)
    assert alpha["box"] == "key" and alpha["box_label"] == "Key"
    assert [cell["value"] for cell in alpha["ratings"]["attractiveness"]] == [9.0, 5.0]
    assert alpha["ratings"]["competitors"] == [
        {
            "competitor": "Rival",
            "ratings": [
                {"factor": r.s1.pk, "name": "Quality", "value": 4.0},
                {"factor": r.s2.pk, "name": "Delivery", "value": 4.0},
            ],
        }
    ]


def test_the_matrix_keeps_others_ratings_blind_until_the_meeting(
    client, token_for, rated_round, team_user
):
    r = rated_round
    raw = token_for(team_user)
    alpha = _matrix(client, r, raw)["M1"]
    assert alpha["box"] is None and alpha["attractiveness"] is None
    assert all(cell["value"] is None for cell in alpha["ratings"]["attractiveness"])
    assert alpha["ratings"]["competitors"] == []
    stage_set(r, ScoringRound.Status.MEETING)
    alpha = _matrix(client, r, raw)["M1"]
    assert alpha["attractiveness"] == pytest.approx(7.4) and alpha["box"] == "key"


def test_the_matrix_box_label_follows_accept_language(client, token_for, rated_round):
    r = rated_round
    response = client.get(
        reverse("api:round_matrix", args=[r.round.pk]),
        headers={**bearer(token_for(r.rater)), "Accept-Language": "id"},
    )
    alpha = next(item for item in response.json()["items"] if item["customer"] == "M1")
    assert alpha["box"] == "key" and alpha["box_label"] == "Akun kunci"


def test_the_matrix_pages_by_customer(client, token_for, rated_round):
    r = rated_round
    raw = token_for(r.rater)
    url = reverse("api:round_matrix", args=[r.round.pk])
    first = client.get(url, {"limit": 1}, headers=bearer(raw)).json()
    second = client.get(url, {"limit": 1, "cursor": first["next_cursor"]}, headers=bearer(raw))
    assert [i["customer"] for i in first["items"]] == ["M1"]
    assert [i["customer"] for i in second.json()["items"]] == ["O1"]
    assert second.json()["next_cursor"] is None


def test_decisions_are_for_the_team_and_only_of_revealed_rounds(
    client, token_for, small_round, team_user
):
    r = small_round
    Decision.objects.create(
        round=r.round,
        customer=r.mine,
        choice="key",
        coverage="farmer",
        rationale="",
        box_at_decision="key",
    )
    url = reverse("api:decision_list")
    assert _get(client, url, token_for(r.rater)).status_code == 403
    raw = token_for(team_user)
    assert _get(client, url, raw).json()["items"] == []  # the round is still blind
    stage_set(r, ScoringRound.Status.DECIDED)
    (item,) = _get(client, url, raw).json()["items"]
    assert (item["customer"], item["choice"], item["box_at_decision"]) == ("M1", "key", "key")
    assert _get(client, url, raw, customer="O1").json()["items"] == []


def test_a_role_without_the_permission_gets_403(client, token_for):
    from tests.factories import UserFactory

    raw = token_for(UserFactory(username="no-role"))
    response = _get(client, reverse("api:customer_list"), raw)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def _matrix_codes(client, r, raw, status=200, **params) -> list[str]:
    response = client.get(
        reverse("api:round_matrix", args=[r.round.pk]), params, headers=bearer(raw)
    )
    assert response.status_code == status, response.content
    return [item["customer"] for item in response.json()["items"]] if status == 200 else response


def test_the_matrix_filters_by_box_segment_owner_and_tier(client, token_for, two_tiers):
    r = two_tiers
    r.other.segment = SegmentFactory(name="Retail")
    r.other.save()
    raw = token_for(r.rater)
    assert _matrix_codes(client, r, raw, box="key") == ["M1", "O1"]
    assert _matrix_codes(client, r, raw, box="maintenance") == []
    assert _matrix_codes(client, r, raw, tier="C") == ["O1"]
    assert _matrix_codes(client, r, raw, owner="manager-t") == ["M1"]
    assert _matrix_codes(client, r, raw, segment="Retail", box="key") == ["O1"]


@pytest.mark.parametrize(("params", "field"), [({"box": "Key"}, "box"), ({"tier": "D"}, "tier")])
def test_a_matrix_filter_outside_its_values_is_a_422(client, token_for, two_tiers, params, field):
    response = _matrix_codes(client, two_tiers, token_for(two_tiers.rater), status=422, **params)
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid", field)
    assert error["message"].startswith("Choose one of: ")


def test_the_box_filter_is_blind_until_the_meeting(client, token_for, two_tiers, team_user):
    r = two_tiers
    raw = token_for(team_user)  # rated nothing: while blind, their matrix places nobody
    assert _matrix_codes(client, r, raw, box="key") == []
    assert _matrix_codes(client, r, raw) == ["M1", "O1"]
    stage_set(r, ScoringRound.Status.MEETING)
    assert _matrix_codes(client, r, raw, box="key") == ["M1", "O1"]


def test_a_box_filtered_matrix_pages_across_unplaced_customers(
    client, token_for, two_tiers, monkeypatch
):
    from api import selectors
    from scoring.models import Rating
    from tests.factories import RatingFactory

    monkeypatch.setattr(selectors, "MATRIX_BOX_CHUNK_MIN", 0)  # chunks of 4 × (limit + 1)
    r = two_tiers
    for number in range(10):
        CustomerFactory(code=f"U{number}", name=f"Unrated {number}")
    late = CustomerFactory(code="K3", name="Placed late")
    for rating in Rating.objects.filter(round=r.round, customer=r.mine):
        RatingFactory(
            round=r.round,
            factor=rating.factor,
            customer=late,
            rater=r.rater,
            competitor=rating.competitor,
            value=rating.value,
        )
    raw = token_for(r.rater)
    url = reverse("api:round_matrix", args=[r.round.pk])
    seen, cursor = [], None
    for _page in range(5):
        params = {"box": "key", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get(url, params, headers=bearer(raw)).json()
        seen += [item["customer"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["M1", "O1", "K3"]


def test_decisions_filter_by_choice(client, token_for, small_round, team_user):
    r = small_round
    for customer, choice in ((r.mine, "key"), (r.other, "maintenance")):
        Decision.objects.create(
            round=r.round, customer=customer, choice=choice, coverage="farmer", rationale=""
        )
    stage_set(r, ScoringRound.Status.DECIDED)
    raw = token_for(team_user)
    url = reverse("api:decision_list")
    assert [
        item["customer"] for item in _get(client, url, raw, choice="maintenance").json()["items"]
    ] == ["O1"]
    response = _get(client, url, raw, choice="kunci")
    assert response.status_code == 422 and response.json()["error"]["field"] == "choice"


def test_customers_refuse_an_unknown_tier_or_stage(client, token_for, team_user):
    raw = token_for(team_user)
    url = reverse("api:customer_list")
    for params, field in (({"tier": "Z"}, "tier"), ({"stage": "booming"}, "stage")):
        response = _get(client, url, raw, **params)
        assert response.status_code == 422 and response.json()["error"]["field"] == field


def test_customers_carry_and_filter_by_the_latest_decided_box(client, token_for, small_round):
    r = small_round
    Decision.objects.create(
        round=r.round, customer=r.mine, choice="key", coverage="farmer", box_at_decision="key"
    )
    raw = token_for(r.rater)
    url = reverse("api:customer_list")
    assert _get(client, url, raw, box="key").json()["items"] == []  # no round decided yet
    long_ago = timezone.now() - dt.timedelta(days=2)
    Customer.objects.update(updated_at=long_ago)
    Decision.objects.update(decided_at=long_ago)
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    assert _get(client, url, raw, changed_since=since).json()["items"] == []
    r.round.status = ScoringRound.Status.DECIDED
    r.round.save()  # audited: the latest decided round, so every customer's box, moved
    assert _codes(_get(client, url, raw, box="key")) == ["M1"]
    body = {item["code"]: item["box"] for item in _get(client, url, raw).json()["items"]}
    assert body == {"M1": "key", "O1": None}
    assert _get(client, reverse("api:customer_detail", args=["M1"]), raw).json()["box"] == "key"
    assert _codes(_get(client, url, raw, changed_since=since)) == ["M1", "O1"]
    assert _get(client, url, raw, box="Key").status_code == 422


def test_changed_since_is_iso_8601_only_never_a_bare_number(client, token_for, team_user):
    """Found by the fuzz: pydantic read `changed_since=0.5` as Unix seconds and answered 200."""
    CustomerFactory(code="C1")
    raw = token_for(team_user)
    for name in ("customer_list", "decision_list"):
        response = _get(client, reverse(f"api:{name}"), raw, changed_since="0.5")
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "changed_since"
    ok = _get(client, reverse("api:customer_list"), raw, changed_since="2020-01-01T00:00:00Z")
    assert _codes(ok) == ["C1"]


def test_choice_filters_list_their_values_in_the_openapi_description(client):
    """Found by the fuzz: `stage` was any string in the description, and a valid one by it
    (`round_latest`) was answered 422."""
    schema = client.get("/api/v1/openapi.json").json()
    enums = {
        (path, parameter["name"]): parameter["schema"].get("enum")
        for path, item in schema["paths"].items()
        for parameter in item.get("get", {}).get("parameters", [])
    }
    assert enums[("/api/v1/rounds", "stage")] == [
        "",
        "draft",
        "scoring",
        "meeting",
        "decided",
        "archived",
    ]
    assert enums[("/api/v1/customers", "tier")] == ["", "A", "B", "C"]
    assert "deselected" in enums[("/api/v1/decisions", "choice")]
    assert "key" in enums[("/api/v1/customers", "box")]
