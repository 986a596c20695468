"""The audit trail: every change to ratings, factors, rounds, settings and account flags is
recorded with who, when, old and new value; pages show it; admins filter but never edit it."""

import re
import threading
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import CompanySettings
from scoring.models import Rating, ScoringRound
from scoring.services import factor_set_save, rating_record, round_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(model, pk=None):
    entries = LogEntry.objects.get_for_model(model).order_by("pk")
    return entries.filter(object_id=pk) if pk is not None else entries


def _save(client, r, value, customer=None):
    return client.post(
        reverse("scoring:rating_save", args=[r.round.pk]),
        {"customer": (customer or r.mine).pk, "factor": r.a1.pk, "value": value},
    )


def test_rating_change_records_who_and_the_old_and_new_value(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    assert _save(client, r, "3").status_code == 200
    rating = Rating.objects.get(factor=r.a1, customer=r.mine)
    entry = _entries(Rating, rating.pk).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == r.rater
    assert entry.changes == {"value": ["9.00", "3.00"]}
    assert entry.timestamp is not None


def test_clearing_a_rating_records_its_deletion_with_the_old_value(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    rating = Rating.objects.get(factor=r.a1, customer=r.mine)
    _save(client, r, "")
    entry = _entries(Rating, rating.pk).last()
    assert entry.action == LogEntry.Action.DELETE
    assert Decimal(entry.changes["value"][0]) == Decimal("9")


def test_refused_rating_records_nothing(client, rated_round):
    r = rated_round
    client.force_login(r.rater)
    before = LogEntry.objects.count()
    assert _save(client, r, "11").status_code == 422
    assert _save(client, r, "4", customer=r.other).status_code == 403
    assert LogEntry.objects.count() == before


def test_factors_swapping_names_are_recorded_with_their_real_old_names(small_round, team_user):
    r = small_round
    rows = [
        {"id": r.s1.pk, "name": "Delivery", "weight": Decimal("30")},
        {"id": r.s2.pk, "name": "Quality", "weight": Decimal("70")},
    ]
    with set_actor(team_user):
        factor_set_save(scoring_round=r.round, axis="strength", factors=rows)
    entry = _entries(type(r.s1), r.s1.pk).last()
    assert entry.actor == team_user
    assert entry.changes["name"] == ["Quality", "Delivery"]
    assert Decimal(str(entry.changes["weight"][0])) == 50
    assert Decimal(str(entry.changes["weight"][1])) == 30


def test_round_stage_change_is_recorded(small_round, team_user):
    scoring_round = small_round.round
    with set_actor(team_user):
        scoring_round.status = ScoringRound.Status.MEETING
        scoring_round.save()
    entry = _entries(ScoringRound, scoring_round.pk).last()
    assert entry.changes["status"] == ["scoring", "meeting"]
    assert entry.actor == team_user


def test_new_round_records_the_factors_it_copies(small_round, team_user):
    with set_actor(team_user):
        new = round_create(
            name="Next",
            date="2027-01-01",
            created_by=team_user,
            copy_factors_from=small_round.round,
        )
    copied = LogEntry.objects.filter(additional_data__round=new.pk, action=LogEntry.Action.CREATE)
    assert copied.count() == 1 + 4  # the round and its four factors


def test_settings_change_is_recorded_in_the_admin(admin_client):
    company = CompanySettings.load()
    url = reverse("admin:accounts_companysettings_change", args=[company.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["currency"] = "EUR"
    assert admin_client.post(url, data).status_code == 302
    entry = _entries(CompanySettings, company.pk).last()
    assert entry.changes["currency"] == ["IDR", "EUR"]
    assert entry.actor.username == "admin-t"


def test_customer_flag_is_recorded(small_round, manager_user):
    customer = small_round.mine
    with set_actor(manager_user):
        customer.competitor_targeted = True
        customer.save()
    entry = _entries(type(customer), customer.pk).last()
    assert entry.changes == {"competitor_targeted": [False, True]}


def test_round_page_shows_the_history_to_the_team(client, rated_round, team_user):
    r = rated_round
    r.round.status = ScoringRound.Status.MEETING
    r.round.save()
    client.force_login(team_user)
    content = client.get(reverse("scoring:round_detail", args=[r.round.pk])).content.decode()
    assert 'id="history"' in content
    assert "Scoring → Meeting" in content


def test_round_page_keeps_the_history_from_sales_managers(client, rated_round):
    client.force_login(rated_round.rater)
    content = client.get(
        reverse("scoring:round_detail", args=[rated_round.round.pk])
    ).content.decode()
    assert 'id="history"' not in content


def test_account_page_shows_its_own_ratings_history(client, rated_round, team_user):
    r = rated_round
    client.force_login(r.rater)
    _save(client, r, "6")
    response = client.get(reverse("scoring:round_account", args=[r.round.pk, r.mine.pk]))
    history = response.context["history"]
    assert history[0].actor == "manager-t"
    assert history[0].what.startswith("Alpha Mine (M1) / Size")
    assert [(c.field, c.old, c.new) for c in history[0].changes] == [("rating", "9.00", "6.00")]
    assert all("Beta Other" not in row.what for row in history)


# --- Blind scoring: a history shows the reader's own rating values only -----------------


def _history_cells(content: str) -> list[str]:
    """The text of each history row's last two cells (what, change), tags stripped."""
    section = content[content.index('id="history"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[-2:] for row in rows]
    return [" | ".join(_text(cell) for cell in pair) for pair in cells]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def two_raters(client, rated_round, team_user):
    """During scoring, the manager changes Alpha's Size to 6.43 and the team user rates it
    2.71, each through the page."""
    r = rated_round
    client.force_login(r.rater)
    assert _save(client, r, "6.43").status_code == 200
    client.force_login(team_user)
    assert _save(client, r, "2.71").status_code == 200
    client.logout()
    return r


@pytest.mark.parametrize("reader", ["team", "admin"])
def test_round_history_in_scoring_shows_others_ratings_as_rated_without_value(
    client, two_raters, team_user, admin_user, reader
):
    r = two_raters
    client.force_login(team_user if reader == "team" else admin_user)
    content = client.get(reverse("scoring:round_detail", args=[r.round.pk])).content.decode()
    cells = _history_cells(content)
    assert "6.43" not in content and "9.00" not in content  # the manager's old and new value
    assert "Rating: Alpha Mine (M1) / Size / us | rated" in cells
    if reader == "team":
        assert "Rating created: Alpha Mine (M1) / Size / us | rating: — → 2.71" in cells
    else:
        assert "2.71" not in content


def test_account_history_in_scoring_hides_the_teams_rating_from_the_owner(client, two_raters):
    r = two_raters
    client.force_login(r.rater)
    response = client.get(reverse("scoring:round_account", args=[r.round.pk, r.mine.pk]))
    history = response.context["history"]
    mine = [row for row in history if not row.concealed and row.actor == "manager-t"]
    assert [(c.old, c.new) for c in mine[0].changes] == [("9.00", "6.43")]
    (theirs,) = [row for row in history if row.actor == "team-t"]
    assert theirs.concealed and theirs.changes == []
    assert theirs.what == "Alpha Mine (M1) / Size / us"
    assert "2.71" not in response.content.decode()


@pytest.mark.parametrize("stage", ["meeting", "decided"])
def test_round_history_shows_every_value_from_the_meeting_on(client, two_raters, team_user, stage):
    r = two_raters
    ScoringRound.objects.filter(pk=r.round.pk).update(status=stage)
    client.force_login(team_user)
    content = client.get(reverse("scoring:round_detail", args=[r.round.pk])).content.decode()
    cells = _history_cells(content)
    assert "Rating changed: Alpha Mine (M1) / Size / us | rating: 9.00 → 6.43" in cells
    assert not any(cell.endswith("| rated") for cell in cells)


def test_rating_entries_name_their_rater(two_raters, team_user):
    r = two_raters
    entry = _entries(Rating).filter(actor=team_user).get()
    assert entry.additional_data == {
        "round": r.round.pk,
        "customer": r.mine.pk,
        "rater": team_user.pk,
    }


def test_entries_without_a_stored_rater_are_told_apart_by_their_actor(two_raters, team_user):
    from scoring.selectors import round_history

    r = two_raters
    for entry in _entries(Rating):
        entry.additional_data = {"round": r.round.pk, "customer": r.mine.pk}
        entry.save()
    rows = round_history(scoring_round=r.round, reader=team_user)
    shown = [
        (row.what, [change.new for change in row.changes])
        for row in rows
        if not row.concealed and row.subject == "rating"
    ]
    assert shown == [("Alpha Mine (M1) / Size / us", ["2.71"])]
    # The factory's ratings have no actor: nobody's own, so concealed for everyone.
    assert sum(row.concealed for row in rows) == 6 + 1


def test_admins_filter_the_trail_by_user_model_and_date(admin_client, client, rated_round):
    rater = rated_round.rater
    client.force_login(rater)
    _save(client, rated_round, "2")
    url = reverse("admin:auditlog_logentry_changelist")
    response = admin_client.get(url, {"actor__id__exact": rater.pk})
    assert response.status_code == 200
    assert [entry.actor for entry in response.context["cl"].result_list] == [rater]
    rating_type = ContentType.objects.get_for_model(Rating).pk
    year = timezone.localdate().year
    for params in ({"resource_type": rating_type}, {"timestamp__year": year}):
        assert admin_client.get(url, params).status_code == 200


def test_no_one_edits_or_deletes_the_trail_in_the_admin(admin_client, rated_round):
    entry = LogEntry.objects.first()
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert admin_client.post(change, {"action": 2}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time (IMMEDIATE mode), so two saves "
    "cannot interleave there; the race is tested on PostgreSQL.",
)
@pytest.mark.parametrize("exists", [True, False], ids=["update", "first-save"])
def test_concurrent_saves_of_one_rating_leave_one_value_and_two_entries(transactional_db, exists):
    from tests.factories import CustomerFactory, FactorFactory, ScoringRoundFactory

    rater = UserFactory(username="rater-c", role="sales_manager")
    scoring_round = ScoringRoundFactory()
    factor = FactorFactory(round=scoring_round, weight=100)
    customer = CustomerFactory(owner=rater)
    if exists:
        Rating.objects.create(
            round=scoring_round, factor=factor, customer=customer, rater=rater, value=1
        )
    before = LogEntry.objects.get_for_model(Rating).count()
    barrier = threading.Barrier(2)
    errors = []

    def save(value):
        try:
            barrier.wait()
            with set_actor(rater):
                rating_record(
                    scoring_round=scoring_round,
                    customer=customer,
                    factor=factor,
                    competitor=None,
                    rater=rater,
                    raw_value=value,
                )
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in ("4", "7")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ratings = Rating.objects.filter(factor=factor, customer=customer, rater=rater)
    assert ratings.count() == 1
    final = ratings.get().value
    assert final in {Decimal("4"), Decimal("7")}
    entries = list(LogEntry.objects.get_for_model(Rating).order_by("pk")[before:])
    assert len(entries) == 2
    # The entries chain: the last one's new value is the stored value.
    assert Decimal(entries[-1].changes["value"][1]) == final


def test_history_is_written_in_the_readers_language_at_read_time(client, team_round):
    """Entries written by an English session read in Indonesian: the verb, what each is
    about, choice values, the box, yes or no, and dates in the language's one format."""
    import datetime as dt

    from django.utils import translation

    from accounts.middleware import SESSION_KEY
    from scoring.models import Decision
    from scoring.selectors import round_history

    r = team_round
    with translation.override("en"):
        r.round.status = ScoringRound.Status.MEETING
        r.round.date = dt.date(2026, 12, 3)
        r.round.save()
        Decision.objects.create(
            round=r.round,
            customer=r.mine,
            choice=Decision.Choice.KEY,
            coverage=Decision.Coverage.FARMER,
            box_at_decision="key_development",
        )
        r.mine.competitor_targeted = True
        r.mine.save()
    with translation.override("id"):
        rows = round_history(scoring_round=r.round, reader=r.coordinator, customer=r.mine)
        rows += round_history(scoring_round=r.round, reader=r.coordinator)
        text = [
            f"{row.subject} {row.action}: {row.what} | "
            + "; ".join(f"{c.field}: {c.old} → {c.new}" for c in row.changes)
            for row in rows
        ]
    joined = "\n".join(text)
    for english in ("create", "update", "Implementer", "Coordinator", "Selected as key", "True"):
        assert english not in joined, english
    assert "keputusan dibuat: Alpha Mine (M1) | " in joined
    assert "keputusan: — → Dipilih sebagai akun kunci" in joined
    assert "kotak saat diputuskan: — → Pengembangan kunci" in joined
    assert "diincar pesaing: Tidak → Ya" in joined
    assert "anggota putaran dibuat: member | " in joined
    assert "peran dalam tim: — → Pelaksana" in joined
    assert "status: Penilaian → Rapat" in joined
    assert "3 Des. 2026" in joined  # the round's name and date, in Indonesian's format
    assert not re.search(r"\d{4}-\d{2}-\d{2}", joined)

    client.force_login(r.coordinator)
    session = client.session
    session[SESSION_KEY] = "id"
    session.save()
    page = client.get(reverse("scoring:round_detail", args=[r.round.pk])).content.decode()
    assert "<th>Perubahan</th>" in page and "Putaran seleksi diubah" in page
