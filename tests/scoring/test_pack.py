"""The meeting pack: its summary against counts taken from the database by hand, the matrix
image, tier and revenue per account, owners by name, a layout fit for reading (frozen
header rows, filters, column widths), and labels in the reader's language everywhere."""

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal

import matplotlib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import pixels_to_EMU

from accounts.models import Customer, CustomerMetrics, MetricsRun
from scoring.models import Axis, Consensus, Decision, Factor, Rating, ScoringRound
from tests.factories import CustomerFactory, RatingFactory, UserFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db

# Ratings per account: Size, Openness, then Quality and Delivery for us and for Rival.
RATINGS = {
    "Gamma Dev": ("8", "8", "3", "3", "8", "8"),  # attractive, weak: key development
    "Delta Keep": ("2", "3", "9", "9", "2", "2"),  # unattractive, strong: maintenance
    "Epsilon Odd": ("2", "2", "2", "2", "9", "9"),  # opportunistic
    "Zeta Key": ("9", "9", "9", "8", "3", "3"),  # key
}
# Every stored value a box, decision or coverage has: none may reach a reader.
RAW_VALUES = {
    "key",
    "key_development",
    "maintenance",
    "opportunistic",
    "deselected",
    "not_placed",
    "farmer",
    "hunter",
    "milk_round",
    "meeting",
}
RATIONALE = "Attractive but we are weak; " * 8  # long enough to hit the widest column


@pytest.fixture
def pack_round(team_round):
    """The team's round in its meeting with an account in every box, Beta not placed, tiers
    and revenue with cents, owners with names, a consensus and three decisions."""
    r = team_round
    ScoringRound.objects.filter(pk=r.round.pk).update(
        attractiveness_cutoff=Decimal("5.5"), strength_cutoff=Decimal("4.5")
    )
    stage_set(r, ScoringRound.Status.MEETING)
    owner = UserFactory(username="sari", first_name="Sari", last_name="Wulandari")
    r.coordinator.first_name, r.coordinator.last_name = "Tono", "Koordinator"
    r.coordinator.save()
    factors = [(r.a1, None), (r.a2, None), (r.s1, None), (r.s2, None)]
    factors += [(r.s1, r.competitor), (r.s2, r.competitor)]
    for name, values in RATINGS.items():
        customer = CustomerFactory(name=name, owner=owner)
        for (factor, competitor), value in zip(factors, values, strict=True):
            RatingFactory(
                round=r.round,
                factor=factor,
                customer=customer,
                competitor=competitor,
                rater=r.rater,
                value=Decimal(value),
            )
    run = MetricsRun.objects.create(
        trigger="command",
        status="succeeded",
        started_at=timezone.now(),
        period_start="2025-12-01",
        period_end="2026-11-30",
    )
    for rank, (customer, tier) in enumerate(
        zip(Customer.objects.order_by("name"), "AABBCC", strict=True), start=1
    ):
        CustomerMetrics.objects.create(
            customer=customer,
            run=run,
            rank=rank,
            tier=tier,
            revenue=Decimal(1_000_000 // rank) + Decimal("0.37"),
        )
    Consensus.objects.create(
        round=r.round, customer=r.mine, factor=r.a1, value=Decimal("8"), recorded_by=r.coordinator
    )
    for name, choice, box in (
        ("Alpha Mine", "key", "key"),
        ("Gamma Dev", "key_development", "key_development"),
        ("Delta Keep", "deselected", "maintenance"),
    ):
        Decision.objects.create(
            round=r.round,
            customer=Customer.objects.get(name=name),
            choice=choice,
            coverage="farmer",
            rationale=RATIONALE,
            box_at_decision=box,
            decided_by=r.coordinator,
        )
    return r


def _boxes_by_hand(scoring_round) -> dict[str, str]:
    """Each account's box from the stored ratings, without the engine: each cell the
    consensus where agreed, else the mean of the ratings; an account with a cell missing is
    not placed."""
    cells = defaultdict(list)
    for rating in Rating.objects.filter(round=scoring_round):
        cells[rating.customer_id, rating.factor_id, rating.competitor_id].append(rating.value)
    value = {key: sum(values) / len(values) for key, values in cells.items()}
    for agreed in Consensus.objects.filter(round=scoring_round):
        value[agreed.customer_id, agreed.factor_id, agreed.competitor_id] = agreed.value
    attractiveness = list(Factor.objects.filter(round=scoring_round, axis=Axis.ATTRACTIVENESS))
    strength = list(Factor.objects.filter(round=scoring_round, axis=Axis.STRENGTH))
    boxes = {}
    for customer in Customer.objects.all():

        def score(factors, competitor_id, customer=customer):
            keys = [(customer.pk, f.pk, competitor_id) for f in factors]
            if any(key not in value for key in keys):
                return None
            return sum(f.weight * value[key] for f, key in zip(factors, keys, strict=True)) / 100

        a, us = score(attractiveness, None), score(strength, None)
        rivals = [score(strength, c) for c in {k[2] for k in value if k[2] is not None}]
        if a is None or us is None or None in rivals:
            boxes[customer.name] = "not_placed"
            continue
        relative = 10 * us / (us + max(rivals))
        high_a = a >= scoring_round.attractiveness_cutoff
        high_s = relative >= scoring_round.strength_cutoff
        boxes[customer.name] = {
            (True, True): "key",
            (True, False): "key_development",
            (False, True): "maintenance",
            (False, False): "opportunistic",
        }[high_a, high_s]
    return boxes


def _pack(client, user, pk, **headers):
    client.force_login(user)
    response = client.get(reverse("scoring:round_pack", args=[pk]), headers=headers)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _section(sheet, *titles) -> list[tuple]:
    """The rows under a summary heading, up to the next blank row."""
    rows = [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]
    start = rows.index(titles) + 1
    end = rows.index((), start) if () in rows[start:] else len(rows)
    return rows[start:end]


def test_summary_counts_boxes_and_decisions_as_the_database_does(client, pack_round):
    r = pack_round
    summary = _pack(client, r.coordinator, r.round.pk)["Summary"]
    by_hand = Counter(_boxes_by_hand(r.round).values())
    # Every box holds an account and one is not placed, so no count is right by accident.
    assert set(by_hand) == {"key", "key_development", "maintenance", "opportunistic", "not_placed"}
    assert _section(summary, "Box", "Accounts") == [
        ("Key", by_hand["key"]),
        ("Key development", by_hand["key_development"]),
        ("Maintenance", by_hand["maintenance"]),
        ("Opportunistic", by_hand["opportunistic"]),
        ("Not placed", by_hand["not_placed"]),
        ("Total", Customer.objects.count()),
    ]
    decided = Counter(Decision.objects.filter(round=r.round).values_list("choice", flat=True))
    assert _section(summary, "Decision", "Accounts") == [
        ("Selected as key account", decided["key"]),
        ("Key development", decided["key_development"]),
        ("Maintenance", decided["maintenance"]),
        ("Opportunistic", decided["opportunistic"]),
        ("De-selected", decided["deselected"]),
        ("No decision yet", Customer.objects.count() - sum(decided.values())),
    ]


def test_summary_gives_the_rounds_cut_offs_weights_and_revenue_period(client, pack_round):
    r = pack_round
    summary = _pack(client, r.coordinator, r.round.pk)["Summary"]
    assert _section(summary, "Axis", "Cut-off") == [
        ("Customer attractiveness", 5.5),
        ("Relative strength", 4.5),
    ]
    weights = _section(summary, "Axis", "Factor", "Weight", "Consideration", "Rated from")
    factors = Factor.objects.filter(round=r.round).order_by("axis", "position")
    assert [row[:3] for row in weights] == [
        (f.get_axis_display(), f.name, float(f.weight)) for f in factors
    ]
    assert weights[0][3:] == ("Pure attractiveness", "ratings")
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][0] == "Test round"
    period = {row[0]: row[1].date() for row in rows if row[0] and "Revenue period" in row[0]}
    assert [str(day) for day in period.values()] == ["2025-12-01", "2026-11-30"]


def test_pack_embeds_the_matrix_image_the_round_page_offers(client, pack_round, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.setitem(matplotlib.rcParams, "svg.hashsalt", "pack")
    r = pack_round
    pack = _pack(client, r.coordinator, r.round.pk)
    (image,) = pack["Matrix"]._images
    download = client.get(reverse("scoring:round_image", args=[r.round.pk, "png"])).content
    assert image._data() == download
    assert image.anchor.ext.width == pixels_to_EMU(900)  # shown 900 pixels wide


def test_scores_carry_tier_and_revenue_from_the_metrics_and_owners_by_name(client, pack_round):
    r = pack_round
    rows = list(_pack(client, r.coordinator, r.round.pk)["Scores"].values)
    header, body = rows[0], rows[1:]
    column = {title: index for index, title in enumerate(header)}
    metrics = {m.customer.code: m for m in CustomerMetrics.objects.select_related("customer")}
    assert len(body) == len(metrics) == 6
    for row in body:
        expected = metrics[row[column["Customer code"]]]
        assert row[column["Tier"]] == expected.tier
        assert Decimal(str(row[column["Revenue (IDR)"]])) == expected.revenue
    owners = {row[column["Name"]]: row[column["Owner"]] for row in body}
    assert owners["Gamma Dev"] == "Sari Wulandari"
    assert owners["Alpha Mine"] == "manager-t"  # no name set: the username
    assert owners["Beta Other"] is None


def test_people_are_named_on_every_sheet(client, pack_round):
    r = pack_round
    pack = _pack(client, r.coordinator, r.round.pk)
    assert {row[6] for row in list(pack["Decisions"].values)[1:]} == {"Tono Koordinator"}
    assert list(pack["Consensus"].values)[1][5] == "Tono Koordinator"


def test_each_table_keeps_its_header_in_view_filters_and_fits_its_columns(client, pack_round):
    r = pack_round
    pack = _pack(client, r.coordinator, r.round.pk)
    for title in ("Scores", "Ratings", "Consensus", "Decisions"):
        sheet = pack[title]
        last = get_column_letter(sheet.max_column)
        assert sheet.freeze_panes == "C2", title  # the header row, code and name stay put
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", title
        assert sheet["A1"].font.b, title
        for index, values in enumerate(sheet.iter_cols(values_only=True), start=1):
            width = sheet.column_dimensions[get_column_letter(index)].width
            # A date cell shows yyyy-mm-dd hh:mm: 16 characters.
            longest = max(16 if isinstance(v, dt.datetime) else len(str(v)) for v in values if v)
            assert 8 <= width <= 50, (title, index)
            assert width >= min(longest, 48), (title, values[0])
    decisions = pack["Decisions"]
    assert decisions.column_dimensions["F"].width == 50  # the long rationale is capped
    assert decisions["H2"].number_format == "yyyy-mm-dd hh:mm"
    assert pack["Scores"]["F2"].number_format == "#,##0.00"


def _texts(pack) -> list[str]:
    return [
        value
        for sheet in pack.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]


@pytest.mark.parametrize("via", ["accept-language", "cookie"])
def test_pack_is_in_the_readers_language_with_labels_never_stored_values(client, pack_round, via):
    r = pack_round
    headers = {}
    if via == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    else:
        headers["Accept-Language"] = "id"
    pack = _pack(client, r.coordinator, r.round.pk, **headers)
    assert pack.sheetnames == [
        "Ringkasan",
        "Matriks",
        "Skor",
        "Penilaian",
        "Konsensus",
        "Keputusan",
    ]
    texts = _texts(pack)
    assert {"Pengembangan kunci", "Dipilih sebagai akun kunci", "Dikeluarkan dari seleksi"} <= set(
        texts
    )
    assert "Pemeliharaan" in [row[2] for row in pack["Keputusan"].values]
    assert not RAW_VALUES & set(texts)
    assert "Kotak" in next(pack["Skor"].values)
    assert ("Total", 6) in _section(pack["Ringkasan"], "Kotak", "Akun")
    assert ("Belum ada keputusan", 3) in _section(pack["Ringkasan"], "Keputusan", "Akun")


def test_pack_in_english_shows_no_stored_value_either(client, pack_round):
    r = pack_round
    texts = _texts(_pack(client, r.coordinator, r.round.pk))
    assert {"Key development", "De-selected", "Farmer", "Meeting"} <= set(texts)
    assert not RAW_VALUES & set(texts)


def test_pack_neutralises_formulas_in_every_sheet(client, pack_round):
    r = pack_round
    Customer.objects.filter(pk=r.mine.pk).update(name="=HYPERLINK(1)")
    Factor.objects.filter(pk=r.a1.pk).update(name="+SUM(1)")
    Decision.objects.filter(customer=r.mine).update(rationale="@cmd")
    texts = _texts(_pack(client, r.coordinator, r.round.pk))
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@"))]
    assert {"'=HYPERLINK(1)", "'+SUM(1)", "'@cmd"} <= set(texts)


def test_pack_before_the_meeting_holds_only_the_readers_own_view(client, pack_round):
    r = pack_round
    stage_set(r, ScoringRound.Status.SCORING)
    pack = _pack(client, r.member, r.round.pk)
    # The member rated Alpha's Size only: nothing of theirs is placed.
    boxes = dict(_section(pack["Summary"], "Box", "Accounts"))
    assert boxes["Not placed"] == boxes["Total"] == 6
    assert [row[5] for row in list(pack["Ratings"].values)[1:]] == ["member"]


def test_decisions_page_names_boxes_decisions_and_people(client, pack_round):
    r = pack_round
    client.force_login(r.coordinator)
    url = reverse("scoring:round_decisions", args=[r.round.pk])
    page = client.get(url).content.decode()
    assert re.search(r'data-box="key_development"\s*>Key development</span>', page)
    assert re.search(r'data-box="maintenance"\s*>Maintenance</span>', page)
    assert "De-selected" in page
    assert "Tono Koordinator" in page
    indonesian = client.get(url, headers={"Accept-Language": "id"}).content.decode()
    assert re.search(r'data-box="key_development"\s*>Pengembangan kunci</span>', indonesian)
    assert re.search(r'data-box="maintenance"\s*>Pemeliharaan</span>', indonesian)
    assert "Dikeluarkan dari seleksi" in indonesian


def test_decisions_page_queries_do_not_grow_with_the_decisions(
    client, pack_round, django_assert_max_num_queries
):
    r = pack_round
    client.force_login(r.coordinator)
    url = reverse("scoring:round_decisions", args=[r.round.pk])
    client.get(url)
    for customer in Customer.objects.filter(decisions__isnull=True):
        Decision.objects.create(round=r.round, customer=customer, choice="key", coverage="farmer")
    with django_assert_max_num_queries(12):
        client.get(url)


def test_export_round_command_writes_the_pack_in_the_language_asked(pack_round, tmp_path):
    r = pack_round
    path = tmp_path / "pack.xlsx"
    call_command(
        "export_round", r.round.pk, "--format", "pack", "--language", "id", "--output", str(path)
    )
    pack = load_workbook(path)
    assert pack.sheetnames[0] == "Ringkasan"
    assert len(pack["Matriks"]._images) == 1
    assert "Pengembangan kunci" in _texts(pack)
    assert translation.get_language() != "id"  # the command's language ends with it
    call_command("export_round", r.round.pk, "--format", "xlsx", "--output", str(path))
    assert load_workbook(path).sheetnames == ["Scores"]


def test_export_round_command_writes_csv_labels_in_the_language_asked(pack_round, capsys):
    r = pack_round
    call_command("export_round", r.round.pk, "--language", "id")
    out = capsys.readouterr().out
    assert out.startswith("Kode pelanggan,")
    assert ",Pengembangan kunci," in out and ",key_development," not in out
