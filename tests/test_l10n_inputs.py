"""Date and number inputs hold what the browser reads in every language: ISO dates and
plain numbers (a `dd-mm-yyyy` date leaves `<input type="date">` blank, a `12,5` number
leaves `<input type="number">` empty, and the form then cannot be sent)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_KEY
from accounts.models import Customer
from scoring.models import Factor, ScoringRound
from tests.test_i18n import _pages

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input\b[^>]*>")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return found.group(1) if found else None


@pytest.fixture
def indonesian(client, seeded):
    client.login(username="admin", password="demo")
    session = client.session
    session[SESSION_KEY] = "id"
    session.save()
    return client


def test_every_date_and_number_input_holds_a_value_the_browser_reads(indonesian):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    # A weight with decimals, which Indonesian writes "12,5" on the page.
    factors = list(scoring_round.factors.filter(axis="strength").order_by("pk")[:2])
    Factor.objects.filter(pk=factors[0].pk).update(weight=factors[0].weight - Decimal("0.5"))
    Factor.objects.filter(pk=factors[1].pk).update(weight=factors[1].weight + Decimal("0.5"))
    customer = Customer.objects.order_by("code").first()
    seen = {"date": 0, "number": 0, "range": 0}
    wrong = []
    for url in _pages(customer, scoring_round):
        response = indonesian.get(url)
        assert response.status_code == 200, url
        for tag in INPUT.findall(response.content.decode()):
            kind, value = _attribute(tag, "type"), _attribute(tag, "value")
            if kind not in seen or not value:
                continue
            seen[kind] += 1
            pattern = ISO_DATE if kind == "date" else PLAIN_NUMBER
            if not pattern.match(value):
                wrong.append((url, tag))
    assert wrong == []
    assert (
        'value="' + str(factors[0].weight - Decimal("0.5")) + '"'
        in indonesian.get(reverse("scoring:factor_set", args=[scoring_round.pk])).content.decode()
    )
    assert seen["date"] >= 1 and seen["number"] >= 10 and seen["range"] >= 1, seen


def test_the_new_round_form_shows_todays_date_and_takes_it_back_in_indonesian(indonesian):
    url = reverse("scoring:round_new")
    page = indonesian.get(url).content.decode()
    (date_input,) = [tag for tag in INPUT.findall(page) if 'type="date"' in tag]
    today = timezone.localdate()
    assert _attribute(date_input, "value") == today.isoformat()
    response = indonesian.post(url, {"name": "Ronde baru", "date": today.isoformat()})
    assert response.status_code == 302
    assert ScoringRound.objects.get(name="Ronde baru").date == today
