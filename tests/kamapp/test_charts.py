"""The two palettes (one source, readable for colour-blind readers, used by every chart,
badge and export), plotly's interface text per language, and the charts' data in pages."""

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import json_script
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.models import Tier
from accounts.selectors import pareto_figure
from kamapp import charts
from kamapp.templatetags.charts import chart_json
from scoring import charts as scoring_charts
from scoring import engine, images
from scoring.selectors import round_matrix

APP_CSS = Path(settings.BASE_DIR, "static", "css", "app.css").read_text(encoding="utf-8")

# Colour-vision deficiency simulation (Machado, Oliveira and Fernandes 2009, severity 1),
# applied to linear RGB; distances in CIELAB (CIE76 delta E).
DEFICIENCIES = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
# A delta E of 12 or more tells two marks apart at a glance.
DISTINCT = 12


def _linear(colour: str) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x, y, z = xyz @ np.clip(linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = [np.cbrt(v) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distance(one: str, other: str, deficiency: str) -> float:
    matrix = DEFICIENCIES[deficiency]
    return float(np.linalg.norm(_lab(matrix @ _linear(one)) - _lab(matrix @ _linear(other))))


def _contrast(one: str, other: str) -> float:
    def luminance(colour):
        return float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(colour))

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


BOXES = list(charts.BOX_COLOURS.values())
TIERS = [*charts.TIER_COLOURS.values(), charts.NO_TIER_COLOUR]


def test_the_palettes_name_every_box_and_tier():
    assert set(charts.BOX_COLOURS) == {
        engine.KEY,
        engine.KEY_DEVELOPMENT,
        engine.MAINTENANCE,
        engine.OPPORTUNISTIC,
    }
    assert set(charts.TIER_COLOURS) == set(Tier.values)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_colours_stay_apart_within_and_across_the_palettes(deficiency):
    for one, other in [
        *itertools.combinations(BOXES, 2),
        *itertools.combinations(TIERS, 2),
        *itertools.product(BOXES, TIERS),
    ]:
        assert _distance(one, other, deficiency) >= DISTINCT, (one, other, deficiency)


def test_tiers_run_dark_to_light_so_lightness_alone_orders_them():
    lightness = [_lab(_linear(charts.TIER_COLOURS[tier]))[0] for tier in "ABC"]
    assert lightness == sorted(lightness)
    assert min(np.diff(lightness)) >= 15


def test_badge_text_is_readable_on_each_colour():
    pairs = [(charts.BOX_COLOURS[b], charts.BOX_TEXT[b]) for b in charts.BOX_COLOURS]
    pairs += [(charts.TIER_COLOURS[t], charts.TIER_TEXT[t]) for t in charts.TIER_COLOURS]
    pairs.append((charts.NO_TIER_COLOUR, charts.NO_TIER_TEXT))
    for background, text in pairs:
        assert _contrast(background, text) >= 4.5, (background, text)
    # Box names are drawn on the white chart in their box colour.
    for colour in BOXES:
        assert _contrast(colour, "#FFFFFF") >= 4.5, colour


def test_badges_take_their_colours_from_the_python_palettes():
    style = Template("{% load charts %}{% palette_style %}").render(Context())
    defined = dict(re.findall(r"--([\w-]+):(#[0-9A-F]{6})", style))
    assert defined == charts.css_variables()
    assert {defined[f"box-{box}"] for box in charts.BOX_COLOURS} == set(BOXES)
    assert {defined[f"tier-{tier}"] for tier in charts.TIER_COLOURS} == set(
        charts.TIER_COLOURS.values()
    )
    # Each badge rule reads its background and text from those variables, nothing typed in.
    for box in charts.BOX_COLOURS:
        rule = re.search(rf"\.box-{box} \{{([^}}]*)\}}", APP_CSS).group(1)
        assert rule.split(";")[:2] == [
            f" background: var(--box-{box})",
            f" color: var(--box-{box}-text)",
        ]
    for tier in charts.TIER_COLOURS:
        rule = re.search(rf"\.tier-{tier} \{{([^}}]*)\}}", APP_CSS).group(1)
        assert "#" not in rule
        assert f"var(--tier-{tier})" in rule and f"var(--tier-{tier}-text)" in rule
    assert set(re.findall(r"var\(--((?:box|tier)-[\w-]+)\)", APP_CSS)) <= set(defined)
    assert not re.search(r"--(box|tier)-[\w-]+:", APP_CSS)  # defined in python only


@pytest.mark.django_db
def test_every_page_carries_the_palette(admin_client):
    content = admin_client.get(reverse("dashboard")).content.decode()
    assert Template("{% load charts %}{% palette_style %}").render(Context()) in content


@pytest.mark.django_db
def test_matrix_chart_and_image_use_the_palettes(two_tiers):
    matrix = round_matrix(scoring_round=two_tiers.round)
    figure = scoring_charts.matrix_figure(matrix=matrix, rows=matrix.placed_rows())
    by_name = {trace["name"]: trace["marker"]["color"] for trace in figure["data"]}
    assert by_name == {"Tier A": "#7F2704", "Tier C": "#FDAE6B"}
    labels = {a["text"]: a["font"]["color"] for a in figure["layout"]["annotations"]}
    assert sorted(labels.values()) == sorted(BOXES)
    assert labels[f"<b>{matrix.labels[engine.KEY]}</b>"] == charts.BOX_COLOURS[engine.KEY]

    drawn = images.matrix_image_figure(matrix=matrix)
    (bubbles,) = drawn.axes[0].collections
    hexes = {
        "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in rgba[:3]))
        for rgba in bubbles.get_facecolors()
    }
    assert hexes == {"#7F2704", "#FDAE6B"}
    texts = {text.get_text(): text.get_color() for text in drawn.axes[0].texts}
    assert texts[matrix.labels[engine.KEY]].upper() == charts.BOX_COLOURS[engine.KEY]


@pytest.mark.django_db
def test_pareto_cutoffs_use_the_tier_colours(two_tiers):
    from accounts.models import Customer, CustomerMetrics

    CustomerMetrics.objects.filter(customer=two_tiers.other).update(rank=3)
    third = Customer.objects.create(code="G", name="Gamma")
    CustomerMetrics.objects.create(
        customer=third, run=CustomerMetrics.objects.first().run, rank=2, tier="B"
    )
    figure = pareto_figure(measure_label="revenue")
    colours = [shape["line"]["color"] for shape in figure["layout"]["shapes"]]
    assert colours == [charts.TIER_COLOURS["A"], charts.TIER_COLOURS["B"]]
    assert [a["font"]["color"] for a in figure["layout"]["annotations"]] == colours
    assert figure["data"][0]["line"]["color"] == charts.INK


def test_plotly_text_in_english_is_plotlys_own_and_in_indonesian_ours():
    assert charts.plotly_config("en") == {"locale": "en"}
    with translation.override("id"):
        config = charts.plotly_config("id")
    assert config["locale"] == "id"
    dictionary = config["locales"]["id"]["dictionary"]
    assert dictionary["Zoom in"] == "Perbesar"
    assert dictionary["Reset axes"] == "Atur ulang sumbu"
    assert set(dictionary) == set(charts.PLOTLY_TEXT)
    # Every key is one plotly's bundle asks its locale for.
    bundle = Path(settings.BASE_DIR, "static", settings.PLOTLY_JS).read_text(encoding="utf-8")
    for key in dictionary:
        assert f'"{key}"' in bundle, key
    # Nothing is left in English.
    assert not set(dictionary.values()) & set(dictionary)


def test_chart_scripts_load_the_locale_of_the_page_language():
    template = Template(
        "{% load charts %}{% chart_setup as chart %}{{ chart.bundle }} {{ chart.locale_file }}"
    )
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("id"):
        indonesian = template.render(Context())
    assert english == f"/static/{settings.PLOTLY_JS} None"
    assert indonesian == f"/static/{settings.PLOTLY_JS} /static/{settings.PLOTLY_LOCALES['id']}"


def test_vendored_plotly_files_are_the_named_version_with_their_licence():
    vendor = Path(settings.BASE_DIR, "static")
    version = settings.PLOTLY_JS_VERSION
    bundle = (vendor / settings.PLOTLY_JS).read_text(encoding="utf-8")
    assert bundle.startswith(f"/**\n* plotly.js (basic - minified) v{version}\n")
    assert "Licensed under the MIT license" in bundle[:300]
    locale = (vendor / settings.PLOTLY_LOCALES["id"]).read_text(encoding="utf-8")
    assert locale.startswith('var locale={moduleType:"locale",name:"id"')
    assert (vendor / "vendor" / "plotly" / "LICENSE").read_text().startswith("MIT License")
    assert version in settings.PLOTLY_JS and version in settings.PLOTLY_LOCALES["id"]


_json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(value=_json_values, element_id=st.text(min_size=1))
@example(value={"text": "</script><script>alert('&')</script>"}, element_id='x" onload="y')
def test_chart_json_writes_what_json_script_writes(value, element_id):
    assert chart_json(value, element_id) == json_script(value, element_id)


def test_chart_json_never_ends_its_script():
    value = {"name": "</script><b>&"}
    html = chart_json(value, "matrix-figure")
    body = html.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == value
