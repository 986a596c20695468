"""Blind scoring, end to end: a second rater's rating with a value found nowhere else (the
canary, 7.37) must not reach anyone else until the round's meeting, on any page.

Every URL of the app (the resolver walked, with real ids), for every role, as a full page
and as an htmx fragment, in English and in Indonesian (decimal comma), and every export:
the CSV, the customer exports, the meeting pack (cell by cell), the matrix images, alone or
in the pack (byte for byte against the image drawn without the canary) and the command-line
export.
"""

import io
import re
from decimal import Decimal
from hashlib import sha256

import matplotlib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.ledger.services import ledger_import_create
from accounts.middleware import SESSION_KEY
from api.services import api_token_create
from scoring.models import Rating, RoundMember, ScoringRound
from tests.factories import RatingFactory, UserFactory
from tests.fixtures.rounds import stage_set
from tests.url_walk import SKIPPED_PREFIXES, url_patterns

pytestmark = pytest.mark.django_db

CANARY = Decimal("7.37")
# The canary and what it makes of the pooled Alpha: Size (9 + 7.37) / 2 = 8.185 and
# attractiveness 0.6 × 8.185 + 0.4 × 5 = 6.911, each as stored, rounded, and with a comma.
TRACES = ["7.37", "8.185", "8.18", "8.19", "6.911", "6.91"]
TRACES += [trace.replace(".", ",") for trace in TRACES]
NUMBERS = [7.37, 8.185, 6.911]  # cells of a workbook, compared as numbers
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
ROLES = ["no_role", "manager", "member", "team", "admin"]
LANGUAGES = ["en", "id"]
IMAGE = "EMBEDDED IMAGE"  # how a workbook's image shows in its text
# Query strings beyond the bare URL: filters, pages and steps that change what is shown.
QUERIES = {
    "dashboard": ["?since=2000-01-01"],
    "accounts:customer_index": ["?scope=all", "?scope=all&sort=-revenue"],
    "accounts:customer_export": ["?scope=all", "?scope=all&format=xlsx"],
    "scoring:round_detail": ["?box=key", "?tier=A", "?owner={owner}", "?page=2"],
    "scoring:rating_grid": ["?owner={owner}", "?page=2"],
    "scoring:round_meeting": ["?step=2", "?account={other}", "?subset=discuss&undecided=on"],
    "scoring:round_sensitivity": ["?share=10&a_cut=6&s_cut=6"],
    "api:round_matrix": ["?limit=1"],
    "api:customer_list": ["?changed_since=2000-01-01T00:00:00Z"],
    "api:decision_list": ["?changed_since=2000-01-01T00:00:00Z"],
}


def _posts(setup) -> dict[str, dict]:
    """A valid POST body per URL name (others get an empty one): each is sent, then rolled
    back, and its answer read like a page's."""
    r = setup["round"]
    factors = {
        "axis": "strength",
        "strength-TOTAL_FORMS": "2",
        "strength-INITIAL_FORMS": "2",
        "strength-0-id": r.s1.pk,
        "strength-0-name": "Quality",
        "strength-0-weight": "30",
        "strength-1-id": r.s2.pk,
        "strength-1-name": "Delivery",
        "strength-1-weight": "70",
    }
    return {
        "scoring:round_new": {"name": "Next round", "date": "2027-01-15"},
        "scoring:factor_set": factors,
        "scoring:factor_weight_sum": factors,
        "scoring:rating_save": {"customer": r.other.pk, "factor": r.a1.pk, "value": "3"},
        "scoring:consensus_save": {"customer": r.other.pk, "factor": r.a1.pk, "value": "6"},
        "scoring:decision_save": {"choice": "", "coverage": "", "rationale": ""},
        "scoring:round_member_save": {"user": r.rater.pk, "team_role": "implementer"},
        "scoring:round_stage": {"status": "meeting"},
        "scoring:round_adopt": {"share": "50"},
        "accounts:language_set": {"language": "en"},
        "api:rating_record": {"customer": r.other.code, "factor": r.a1.pk, "value": "3"},
        "api:consensus_record": {"customer": r.other.code, "factor": r.a1.pk, "value": "6"},
        "api:customer_competitor_flag": {"targeted": True},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reproducible_images(monkeypatch):
    """The same figure gives the same bytes: no date, no random ids in the SVG."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.setitem(matplotlib.rcParams, "svg.hashsalt", "canary")


@pytest.fixture
def canary(rated_round, admin_user, team_user):
    """The rated round in scoring, a team of readers, and the canary rater's 7.37 on
    Alpha's Size and on every cell of Beta (which nobody else rated)."""
    r = rated_round
    member = UserFactory(username="member-sm", role="sales_manager")
    RoundMember.objects.create(round=r.round, user=member, team_role="implementer")
    RoundMember.objects.create(round=r.round, user=team_user, team_role="coordinator")
    users = {
        "no_role": UserFactory(username="nobody"),
        "manager": r.rater,
        "member": member,
        "team": team_user,
        "admin": admin_user,
    }
    ledger = "InvoiceNo,InvoiceDate,CustomerID,Amount\nP-1,05/03/2026,M1,100\n"
    ledger_import = ledger_import_create(
        uploaded_file=SimpleUploadedFile("march.csv", ledger.encode()), user=admin_user
    )
    beta = [(r.other, f, None) for f in (r.a1, r.a2, r.s1, r.s2)]
    beta += [(r.other, f, r.competitor) for f in (r.s1, r.s2)]
    return {
        "round": r,
        "users": users,
        "import": ledger_import,
        "rater": UserFactory(username="canary-rater", role="selection_team"),
        "cells": [(r.mine, r.a1, None), *beta],
    }


def _canary_rate(setup) -> None:
    r = setup["round"]
    for customer, factor, competitor in setup["cells"]:
        RatingFactory(
            round=r.round,
            factor=factor,
            customer=customer,
            competitor=competitor,
            rater=setup["rater"],
            value=CANARY,
        )


def _urls(setup) -> list[tuple[str, str]]:
    """(name, URL) of every pattern, each argument given every real value it can take."""
    r = setup["round"]
    ids = {"owner": r.rater.pk, "other": r.other.pk}
    urls = []
    for route, name, pattern in url_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        choices = [{}]
        for argument in pattern.pattern.converters:
            values = _argument_values(setup, name, argument)
            choices = [dict(c, **{argument: value}) for c in choices for value in values]
        for kwargs in choices:
            url = reverse(name, kwargs=kwargs)
            urls += [(name, url)] + [(name, url + q.format(**ids)) for q in QUERIES.get(name, [])]
    return urls


def _argument_values(setup, name: str, argument: str) -> list:
    r = setup["round"]
    if argument == "code":
        return [r.mine.code, r.other.code]
    if argument == "pk" and name.startswith(("ledger:", "api:ledger_")):
        return [setup["import"].pk]
    if argument == "pk" and name.startswith("accounts:"):
        return [r.mine.pk, r.other.pk]
    if argument == "pk":
        return [r.round.pk]
    values = {
        "customer_id": [r.mine.pk, r.other.pk],
        "customer_pk": [r.mine.pk, r.other.pk],
        "year": [2026],
        "axis": ["attractiveness", "strength"],
        "image_format": ["png", "svg"],
    }
    if argument not in values:
        pytest.fail(f"{name}: no real value for the URL argument {argument!r}; add one")
    return values[argument]


def _sign_in(client, user, language: str) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = language
    session.save()


def _body(response) -> str | bytes:
    """What a reader gets: text, a workbook's cells as text (numbers near a trace marked),
    or an image's bytes."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("image/"):
        return response.content
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content))
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, int | float) and any(
                        abs(value - number) < 0.006 for number in NUMBERS
                    ):
                        cells.append(f"NUMBER {value}")
                    cells.append(str(value))
            # An embedded image (the matrix in the meeting pack) by its hash, compared
            # with the one drawn without the canary like the image downloads.
            cells += [f"{IMAGE} {sha256(image._data()).hexdigest()}" for image in sheet._images]
        return "\n".join(cells)
    if content_type.startswith("application/json"):
        # Timestamps' fractions of a second are digits that are no rating.
        return ISO_TIME.sub("<time>", response.content.decode())
    return response.content.decode()


def _walk(client, setup, role: str):
    """(language, mode, URL) → what the role gets from each GET, and (language, "post" or
    "post-htmx", URL) from each POST, rolled back. The API's URLs are also read with the
    role's API token instead of the session (mode "token")."""
    seen = {}
    posts = _posts(setup)
    user = setup["users"][role]
    _api_token, raw = api_token_create(user=user, name=f"canary {role}")
    token_client = Client()
    for language in LANGUAGES:
        _sign_in(client, user, language)
        for name, url in _urls(setup):
            if name.startswith("api:"):
                headers = {"Authorization": f"Bearer {raw}", "Accept-Language": language}
                seen[language, "token", url] = _body(token_client.get(url, headers=headers))
            for mode, headers in (("page", {}), ("htmx", {"HX-Request": "true"})):
                seen[language, mode, url] = _body(client.get(url, headers=headers))
                if "?" in url:
                    continue
                # The API takes JSON bodies; the pages take forms.
                json_body = {"content_type": "application/json"} if name.startswith("api:") else {}
                with transaction.atomic():
                    response = client.post(url, posts.get(name, {}), headers=headers, **json_body)
                    transaction.set_rollback(True)
                seen[language, f"post-{mode}", url] = _body(response)
                _sign_in(client, user, language)  # a POST may have signed out or switched
    return seen


def _leaks(seen, images_before) -> list[str]:
    leaks = []
    for key, body in seen.items():
        if isinstance(body, bytes) or key in images_before:
            if _image_part(body) != images_before[key]:
                leaks.append(f"{key}: the image differs from the one drawn without the canary")
            if isinstance(body, bytes):
                continue
        found = [trace for trace in TRACES if trace in body]
        if "NUMBER" in body:
            found.append("a workbook cell")
        if found:
            leaks.append(f"{key}: {found}")
    return leaks


def _image_part(body: str | bytes) -> str | bytes:
    """An image's bytes, or the hashes of the images a workbook embeds."""
    if isinstance(body, bytes):
        return body
    return "\n".join(line for line in body.splitlines() if line.startswith(IMAGE))


def _images(seen) -> dict:
    """Every image a reader got: downloaded, or embedded in a workbook."""
    return {
        key: _image_part(body)
        for key, body in seen.items()
        if isinstance(body, bytes) or IMAGE in body
    }


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_export_shows_the_canary_before_the_meeting(client, canary, role):
    before = _walk(client, canary, role)
    assert _leaks(before, _images(before)) == [], "traces without the canary: bad TRACES"
    _canary_rate(canary)
    for stage in ("scoring", "draft"):
        stage_set(canary["round"], stage)
        assert _leaks(_walk(client, canary, role), _images(before)) == [], stage


def test_the_canary_appears_from_the_meeting_on(client, canary):
    before = _walk(client, canary, "team")
    _canary_rate(canary)
    stage_set(canary["round"], ScoringRound.Status.MEETING)
    after = _walk(client, canary, "team")
    r = canary["round"].round
    beta = reverse("scoring:round_account", args=[r.pk, canary["round"].other.pk])
    for language, value in (("en", "7.37"), ("id", "7,37")):
        for url in (
            beta,
            reverse("scoring:round_detail", args=[r.pk]),
            reverse("scoring:round_disagreement", args=[r.pk]),
        ):
            assert value in after[language, "page", url], (language, url)
        # A CSV file keeps the decimal point whatever the reader's language.
        csv = reverse("scoring:round_export_csv", args=[r.pk])
        assert ",7.37," in after[language, "page", csv]
    pack = reverse("scoring:round_pack", args=[r.pk])
    assert "NUMBER 7.37" in after["en", "page", pack]
    # The pack's matrix image is drawn from everyone's ratings now: Beta is placed on it.
    pack_image = _image_part(after["en", "page", pack])
    assert IMAGE in pack_image and pack_image != _image_part(before["en", "page", pack])
    for image_format in ("png", "svg"):
        url = reverse("scoring:round_image", args=[r.pk, image_format])
        assert after["en", "page", url] != before["en", "page", url]


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_the_command_line_export_keeps_scoring_blind(canary, tmp_path, capsys, output_format):
    r = canary["round"]
    _canary_rate(canary)
    path = tmp_path / f"round.{output_format}"
    export = ["export_round", r.round.pk, "--format", output_format, "--output", str(path)]
    with pytest.raises(CommandError, match="blind"):
        call_command(*export)
    call_command(*export, "--rater", r.rater.username)
    assert not _command_traces(path)
    stage_set(r, ScoringRound.Status.MEETING)
    call_command(*export)
    assert _command_traces(path)


def _command_traces(path) -> list[str]:
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8")
        return [trace for trace in TRACES if trace in text]
    book = load_workbook(path)
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, int | float) and any(abs(value - n) < 0.006 for n in NUMBERS)
    ]


def test_the_canary_ratings_are_stored(canary):
    """The walk above proves something only if the canary is really in the round."""
    _canary_rate(canary)
    ratings = Rating.objects.filter(rater=canary["rater"], value=CANARY)
    assert ratings.count() == 1 + 6


def test_the_django_admin_keeps_scoring_blind(client, canary):
    """The admin's ratings pages are outside the walk above (`SKIPPED_PREFIXES`): before the
    meeting an admin finds there only their own ratings, as on the app's pages."""
    _canary_rate(canary)
    client.force_login(canary["users"]["admin"])
    listing = reverse("admin:scoring_rating_changelist")
    rating = Rating.objects.filter(rater=canary["rater"]).first()
    change = reverse("admin:scoring_rating_change", args=[rating.pk])
    for stage in ("scoring", "draft"):
        stage_set(canary["round"], stage)
        assert "7.37" not in client.get(listing).content.decode(), stage
        assert client.get(change).status_code == 302, stage  # "does not exist", to the index
    stage_set(canary["round"], ScoringRound.Status.MEETING)
    assert "7.37" in client.get(listing).content.decode()
    assert "7.37" in client.get(change).content.decode()
