"""Every page with a chart draws it with the partial plotly bundle, with no console error;
the badges wear the palettes of kamapp.charts; in Indonesian plotly's own interface is too."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import Customer, UserPreference
from accounts.services import metrics_recompute
from kamapp import charts
from scoring.models import ScoringRound

# What each chart page must draw: its chart and the SVG marks it must hold.
BUBBLES = ".scatterlayer .trace .points path.point"
BARS = ".barlayer .trace .points .point path"
CURVE = ".scatterlayer .trace path.js-line"


@pytest.fixture
def chart_pages(demo_site):
    metrics_recompute()
    current = ScoringRound.objects.get(name="Key account selection 2026")
    customer = Customer.objects.order_by("name").first()
    base = f"{demo_site.url}/rounds/{current.pk}"
    return [
        (f"{base}/", "matrix-figure", BUBBLES),
        (f"{base}/review/", "review-figure", BUBBLES),
        (f"{base}/sensitivity/", "sensitivity-figure", BUBBLES),
        (f"{base}/meeting/", "meeting-figure", BUBBLES),
        (f"{base}/accounts/{customer.pk}/", "attractiveness-figure", BARS),
        (f"{base}/accounts/{customer.pk}/", "strength-figure", BARS),
        (f"{demo_site.url}/pareto/", "pareto-figure", CURVE),
    ]


def _watch_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    return errors


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_every_chart_draws_its_points_with_the_partial_bundle(login, chart_pages):
    page = login("team")
    errors = _watch_errors(page)
    bundles = []
    page.on(
        "response",
        lambda response: "/vendor/plotly/" in response.url and bundles.append(response.url),
    )
    for url, figure, marks in chart_pages:
        page.goto(url)
        chart = page.locator(f"[data-figure='{figure}'][data-drawn='1']")
        expect(chart.locator(".main-svg").first).to_be_visible(timeout=15_000)
        assert chart.locator(marks).count() > 0, (url, figure)
        if marks == CURVE:
            assert len(chart.locator(marks).first.get_attribute("d")) > 20
        # The English page loads no plotly locale and keeps plotly's English mode bar.
        assert chart.locator(".modebar-btn[data-title='Zoom in']").count() == 1
        # No button sends the chart's data to Plotly's cloud.
        assert chart.locator(".modebar-btn[data-title^='Share']").count() == 0
    assert errors == []
    assert bundles and all(settings.PLOTLY_JS.split("/")[-1] in url for url in bundles), bundles
    full_bundle = page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces)")
    # The partial bundle: our traces (scatter, bar) and pie, none of the full bundle's 40-odd.
    assert sorted(full_bundle) == ["bar", "pie", "scatter"]


def test_matrix_bubbles_and_badges_wear_the_palettes(login, chart_pages):
    page = login("team")
    matrix_url = chart_pages[0][0]
    page.goto(matrix_url)
    chart = page.locator("[data-figure='matrix-figure'][data-drawn='1']")
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=15_000)
    fills = set(chart.locator(BUBBLES).evaluate_all("points => points.map(p => p.style.fill)"))
    assert fills and fills <= {_rgb(colour) for colour in charts.TIER_COLOURS.values()}, fills
    labels = chart.locator(".annotation-text").evaluate_all("texts => texts.map(t => t.style.fill)")
    assert {_rgb(colour) for colour in charts.BOX_COLOURS.values()} <= set(labels)
    for box, colour in charts.BOX_COLOURS.items():
        badge = page.locator(f".box.box-{box}").first
        expect(badge).to_have_css("background-color", _rgb(colour))
        expect(badge).to_have_css("color", _rgb(charts.BOX_TEXT[box]))
    page.goto(chart_pages[-1][0])
    for tier, colour in charts.TIER_COLOURS.items():
        badge = page.locator(f".tier.tier-{tier}").first
        expect(badge).to_have_css("background-color", _rgb(colour))
        expect(badge).to_have_css("color", _rgb(charts.TIER_TEXT[tier]))


def test_charts_in_indonesian_have_no_english_in_plotlys_interface(login, chart_pages):
    team = get_user_model().objects.get(username="team")
    UserPreference.objects.update_or_create(user=team, defaults={"language": "id"})
    with translation.override("id"):
        indonesian = {str(text) for text in charts.PLOTLY_TEXT.values()}
    page = login("team")
    errors = _watch_errors(page)
    for url, figure, _marks in chart_pages:
        page.goto(url)
        chart = page.locator(f"[data-figure='{figure}'][data-drawn='1']")
        expect(chart.locator(".main-svg").first).to_be_visible(timeout=15_000)
        chart.hover()
        titles = chart.locator(".modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"
        )
        # Every button's title is one of our Indonesian texts: no English left.
        assert titles and set(titles) <= indonesian, (url, set(titles) - indonesian)
        assert "Perbesar" in titles, titles
    # plotly's Indonesian locale file is loaded and the charts use its formats (months).
    plot = "document.querySelector('.js-plotly-plot')"
    assert page.evaluate(f"() => {plot}._context.locale") == "id"
    month = page.evaluate(
        f"() => {plot}._fullLayout._d3locale.timeFormat('%B')(new Date(Date.UTC(2026, 7, 1)))"
    )
    assert month == "Agustus"
    assert errors == []


def test_clicking_a_bubble_opens_its_account(login, chart_pages):
    page = login("team")
    page.goto(chart_pages[0][0])
    chart = page.locator("[data-figure='matrix-figure'][data-drawn='1']")
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=15_000)
    # The bubble's account, as plotly holds it (the figure carries ids, not URLs).
    account = page.evaluate(
        "() => document.querySelector(\"[data-figure='matrix-figure']\").data[0].customdata[0]"
    )
    name = Customer.objects.get(pk=account).name
    chart.locator(BUBBLES).first.click(force=True)
    expect(page).to_have_url(f"{chart_pages[0][0]}accounts/{account}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
