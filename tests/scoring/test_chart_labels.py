"""The matrix chart's labels: the highlighted account's name clear of the other bubbles, the
box names inside the plotting area with the strength axis either way."""

import itertools
import math

import numpy as np
import pytest

from scoring import charts, engine
from scoring.chart_labels import (
    CLEARANCE,
    PlotArea,
    Rect,
    anchored_rect,
    corner_anchor,
    label_place,
    text_size,
)
from scoring.selectors import round_matrix

PLOT = PlotArea(1000, 800, x_range=(10.4, -0.4), y_range=(-0.4, 10.4))
SIZE = (180.0, 24.0)  # a label 180 px wide, 24 px high
RING = 17.0


def _covers(rect: Rect, x: float, y: float, r: float) -> bool:
    """Whether the rectangle comes within r of (x, y), by sampling the rectangle every px
    (independent of the distance formula the placement uses)."""
    xs = np.arange(rect.left, rect.right + 0.5, 1.0)
    ys = np.arange(rect.top, rect.bottom + 0.5, 1.0)
    gx, gy = np.meshgrid(xs, ys)
    return bool((np.hypot(gx - x, gy - y) < r).any())


def _place(centre, bubbles=((), (), ()), obstacles=()):
    return label_place(
        plot=PLOT,
        centre=centre,
        ring_radius=RING,
        size=SIZE,
        bubbles=bubbles,
        obstacles=list(obstacles),
    )


def test_a_lone_bubble_has_its_label_just_above_it():
    place = _place((500, 400))
    rect = Rect.around(place.x, place.y, SIZE)
    assert place.x == pytest.approx(500)
    # Centred above: its bottom edge clears the ring by CLEARANCE px, no more.
    assert rect.bottom == pytest.approx(400 - RING - CLEARANCE, abs=0.01)
    assert (place.bubbles_covered, place.labels_covered) == (0, 0)


def test_the_label_goes_where_the_neighbours_leave_room():
    # Bubbles of 20 px radius in a tight ring around the account, except below-right.
    angles = [a for a in range(0, 360, 20) if not 100 <= a <= 170]
    xs = [500 + 45 * math.sin(math.radians(a)) for a in angles]
    ys = [400 - 45 * math.cos(math.radians(a)) for a in angles]
    radii = [20.0] * len(angles)
    place = _place((500, 400), bubbles=(xs, ys, radii))
    rect = Rect.around(place.x, place.y, SIZE)
    assert place.bubbles_covered == 0
    assert not any(_covers(rect, x, y, r) for x, y, r in zip(xs, ys, radii, strict=True))
    assert not _covers(rect, 500, 400, RING)
    assert rect.inside(PLOT.width, PLOT.height)
    # Where a lone bubble's label goes, it would have covered some.
    alone = Rect.around(500, 400 - RING - CLEARANCE - SIZE[1] / 2, SIZE)
    assert any(_covers(alone, x, y, r) for x, y, r in zip(xs, ys, radii, strict=True))


def test_a_wall_of_bubbles_above_sends_the_label_below():
    wall = [(x, y) for x in range(0, 1001, 30) for y in range(0, 371, 30)]
    xs, ys = zip(*wall, strict=True)
    radii = [12.0] * len(wall)
    place = _place((500, 400), bubbles=(xs, ys, radii))
    rect = Rect.around(place.x, place.y, SIZE)
    assert place.bubbles_covered == 0
    assert not any(_covers(rect, x, y, r) for x, y, r in zip(xs, ys, radii, strict=True))
    assert rect.top >= 400 - RING  # beside or below the account, under the wall
    assert place.y > 400  # of those, straight below is the nearest


def test_a_crowd_pushes_the_label_further_out_with_a_line():
    # A 9 × 9 block of bubbles 30 px apart around the account; open space beyond it.
    grid = [(500 + 30 * i, 400 + 30 * j) for i, j in itertools.product(range(-4, 5), repeat=2)]
    xs, ys = zip(*[(x, y) for x, y in grid if (x, y) != (500, 400)], strict=True)
    radii = [9.0] * len(xs)
    place = _place((500, 400), bubbles=(xs, ys, radii))
    rect = Rect.around(place.x, place.y, SIZE)
    assert place.bubbles_covered == 0
    assert not any(_covers(rect, x, y, r) for x, y, r in zip(xs, ys, radii, strict=True))
    assert math.hypot(place.x - 500, place.y - 400) > 4 * 30  # past the block


def test_near_the_top_edge_the_label_stays_inside_the_plot():
    place = _place((500, 12))
    rect = Rect.around(place.x, place.y, SIZE)
    assert rect.inside(PLOT.width, PLOT.height)
    assert rect.top > 12  # not above: there is no room


def test_the_label_keeps_off_the_box_names():
    corner = anchored_rect(40, 40, (120, 20), "left", "top")
    place = _place((90, 90), obstacles=[corner])
    assert place.labels_covered == 0
    assert not Rect.around(place.x, place.y, SIZE).overlaps(corner)


@pytest.mark.parametrize("high_on_left", [True, False])
@pytest.mark.parametrize("name_length", [3, 18])
def test_box_names_run_inwards_and_stay_in_the_plot_either_way(high_on_left, name_length):
    labels = dict.fromkeys(engine.BOXES, "W" * name_length)
    plot = charts.nominal_plot(high_on_left=high_on_left)
    annotations = charts.box_corner_annotations(labels=labels, high_on_left=high_on_left)
    for annotation in annotations:
        x, y = plot.pixels(annotation["x"], annotation["y"])
        rect = charts.annotation_rect(annotation, plot)
        assert rect.inside(plot.width, plot.height), annotation
        # It starts at its corner and runs towards the plot's middle.
        assert (rect.left == pytest.approx(x)) == (x < plot.width / 2)
        assert (rect.top == pytest.approx(y)) == (y < plot.height / 2)


def test_corner_anchors_follow_the_direction_of_the_strength_axis():
    # Key (high strength, high attractiveness): top left when high strength is on the left.
    assert corner_anchor(strength_high=True, attractiveness_high=True, high_on_left=True) == (
        "left",
        "top",
    )
    assert corner_anchor(strength_high=True, attractiveness_high=True, high_on_left=False) == (
        "right",
        "top",
    )
    assert corner_anchor(strength_high=False, attractiveness_high=False, high_on_left=True) == (
        "right",
        "bottom",
    )


def test_text_size_grows_with_the_text_and_the_font():
    assert text_size("abcd", 10)[0] > text_size("ab", 10)[0]
    assert text_size("ab", 20) > text_size("ab", 10)
    assert text_size("ab", 10, bold=True)[0] > text_size("ab", 10)[0]


def test_plot_pixels_and_values_are_inverse_on_a_reversed_axis():
    px, py = PLOT.pixels([10.4, -0.4, 5], [10.4, -0.4, 5])
    assert px.tolist() == pytest.approx([0, 1000, 500])
    assert py.tolist() == pytest.approx([0, 800, 400])
    x, y = PLOT.values(px, py)
    assert x.tolist() == pytest.approx([10.4, -0.4, 5])
    assert y.tolist() == pytest.approx([10.4, -0.4, 5])


@pytest.mark.django_db
def test_the_meeting_figure_labels_the_account_clear_of_the_other_bubble(two_tiers):
    matrix = round_matrix(scoring_round=two_tiers.round)
    rows = matrix.placed_rows()
    # Move Beta just above Alpha, where the label went before: the label must go elsewhere.
    alpha = next(row for row in rows if matrix.customers[row].name == "Alpha Mine")
    beta = next(row for row in rows if row != alpha)
    matrix.result.attractiveness[beta] = matrix.result.attractiveness[alpha] + 0.45
    matrix.result.relative_strength[beta] = matrix.result.relative_strength[alpha]
    figure = charts.matrix_figure(matrix=matrix, rows=rows, highlight=alpha)
    label = figure["layout"]["annotations"][-1]
    assert label["text"] == "Alpha Mine"
    assert (label["x"], label["y"]) == (
        round(float(matrix.result.relative_strength[alpha]), 3),
        round(float(matrix.result.attractiveness[alpha]), 3),
    )
    plot = charts.nominal_plot()
    lx, ly = plot.pixels(label["ax"], label["ay"])
    rect = Rect.around(float(lx), float(ly), text_size("Alpha Mine", charts.HIGHLIGHT_FONT))
    bx, by = plot.pixels(matrix.result.relative_strength[beta], matrix.result.attractiveness[beta])
    # Beta has 1/200 of Alpha's revenue: the smallest dot, 3 px wide.
    assert not _covers(rect, float(bx), float(by), charts.MIN_BUBBLE / 2)
    # The label is given in the axes' values: with the strength axis flipped it is the same
    # annotation, mirrored with everything else; the box names change their anchors.
    flipped = figure["layout"]["meta"]["strength_high_on_right"]["annotations"]
    assert flipped[-1] == label
    mirrored = {"left": "right", "right": "left"}
    default = figure["layout"]["annotations"][:4]
    assert [a["xanchor"] for a in flipped[:4]] == [mirrored[a["xanchor"]] for a in default]
