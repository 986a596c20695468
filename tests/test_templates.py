"""Template and script sources: no template line is longer than MAX_LINE, our JavaScript
is ES modules with no globals loaded only by the pages that use it, and htmx attributes are
set once on the containers that share them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.services import metrics_recompute
from scoring.models import ScoringRound

MAX_LINE = 120


def _template_files() -> list[Path]:
    return sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


def test_the_templates_are_found():
    names = {path.name for path in _template_files()}
    assert {"base.html", "round_detail.html", "pareto.html"} <= names


def test_no_template_line_is_longer_than_the_limit():
    long_lines = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {len(line)} characters"
        for path in _template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > MAX_LINE
    ]
    assert long_lines == []


# --- JavaScript: ES modules, no globals, loaded by the pages that use them ---------------
SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc=\"\{% static 'js/[^>]*>")
GLOBAL_ASSIGNMENT = re.compile(r"\b(window|globalThis|self)\.\w+\s*=[^=]")


def test_our_scripts_are_loaded_as_modules():
    tags = [
        tag
        for path in _template_files()
        for tag in SCRIPT_SRC.findall(path.read_text(encoding="utf-8"))
    ]
    assert tags
    assert [tag for tag in tags if 'type="module"' not in tag] == []


def test_our_scripts_define_no_globals():
    scripts = sorted(Path(settings.BASE_DIR, "static", "js").glob("*.js"))
    assert scripts
    for script in scripts:
        assert GLOBAL_ASSIGNMENT.findall(script.read_text(encoding="utf-8")) == [], script.name
    assert not Path(settings.BASE_DIR, "static", "js", "pareto.js").exists()


@pytest.mark.django_db
def test_pages_load_only_the_scripts_they_use_and_charts_take_one_path(admin_client, seeded):
    metrics_recompute()
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    dashboard = admin_client.get(reverse("dashboard")).content.decode()
    assert "js/app.js" in dashboard
    for script in ("vendor/plotly/plotly-basic", "js/charts.js", "js/grid.js", "js/meeting.js"):
        assert script not in dashboard, script
    matrix = admin_client.get(
        reverse("scoring:round_detail", args=[scoring_round.pk])
    ).content.decode()
    assert "vendor/plotly/plotly-basic" in matrix
    assert "js/charts.js" in matrix
    assert "js/grid.js" not in matrix
    pareto = admin_client.get(reverse("accounts:pareto")).content.decode()
    assert 'data-figure="pareto-figure"' in pareto
    assert 'id="pareto-figure" type="application/json"' in pareto
    assert "js/charts.js" in pareto


# --- htmx attributes once on containers; pagers keep the filters -------------------------
@pytest.mark.django_db
def test_htmx_attributes_sit_on_containers_and_pagers_keep_the_filters(admin_client, seeded):
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    grid_url = reverse("scoring:rating_grid", args=[scoring_round.pk])
    grid = admin_client.get(grid_url, {"owner": "", "segment": ""}).content.decode()
    assert "js/grid.js" in grid
    assert "vendor/plotly/plotly-basic" not in grid
    # Every cell posts its rating; the grid says once where the answer goes.
    assert grid.count(f'hx-post="{reverse("scoring:rating_save", args=[scoring_round.pk])}"') > 1
    assert grid.count('hx-target="closest .cell"') == 1
    assert grid.count('hx-swap="outerHTML"') == 1
    assert 'href="?owner=&amp;segment=&amp;page=2"' in grid
    matrix_url = reverse("scoring:round_detail", args=[scoring_round.pk])
    matrix = admin_client.get(matrix_url, {"box": "", "tier": ""}).content.decode()
    assert 'href="?box=&amp;tier=&amp;page=2" hx-get="?box=&amp;tier=&amp;page=2"' in matrix
    assert '<div hx-target="#matrix-body" hx-swap="outerHTML">' in matrix
