from planning.orgchart import (
    BOX_HEIGHT,
    BOX_WIDTH,
    MARGIN,
    ROW_HEIGHT,
    SLOT_WIDTH,
    STACK_INDENT,
    orgchart_layout,
)


def _corners(chart):
    return {box.id: (box.x, box.y) for box in chart.boxes}


def test_a_boss_is_centred_over_their_reports_one_row_up():
    chart = orgchart_layout([(1, None), (2, 1), (3, 1), (4, 2)])
    # Columns: 2 (with 4 under it) at 0, 3 at 1; the boss halfway, at 0.5.
    assert _corners(chart) == {
        1: (MARGIN + SLOT_WIDTH // 2, MARGIN),
        2: (MARGIN, MARGIN + ROW_HEIGHT),
        3: (MARGIN + SLOT_WIDTH, MARGIN + ROW_HEIGHT),
        4: (MARGIN, MARGIN + 2 * ROW_HEIGHT),
    }
    assert (chart.width, chart.height) == (
        MARGIN + SLOT_WIDTH + BOX_WIDTH + MARGIN,
        MARGIN + 2 * ROW_HEIGHT + BOX_HEIGHT + MARGIN,
    )
    # One connector per report, from the boss's bottom edge to the report's top edge.
    assert len(chart.lines) == 3
    boss_bottom = (MARGIN + SLOT_WIDTH // 2 + BOX_WIDTH // 2, MARGIN + BOX_HEIGHT)
    assert all(line[0] == boss_bottom for line in chart.lines[:2])
    assert chart.lines[1][-1] == (MARGIN + SLOT_WIDTH + BOX_WIDTH // 2, MARGIN + ROW_HEIGHT)


def test_people_without_a_boss_on_the_map_start_trees_side_by_side():
    chart = orgchart_layout([(5, None), (6, 99), (7, None)])
    assert _corners(chart) == {
        5: (MARGIN, MARGIN),
        6: (MARGIN + SLOT_WIDTH, MARGIN),
        7: (MARGIN + 2 * SLOT_WIDTH, MARGIN),
    }
    assert chart.lines == []


def test_many_reports_who_manage_nobody_are_stacked_in_columns_of_eight():
    forty = orgchart_layout([(1, None)] + [(i, 1) for i in range(2, 41)])
    corners = _corners(forty)
    # 39 reports: five columns (8, 8, 8, 8, 7) under the boss, who sits over the middle one.
    assert corners[2] == (MARGIN + STACK_INDENT, MARGIN + ROW_HEIGHT)
    assert corners[9] == (MARGIN + STACK_INDENT, MARGIN + 8 * ROW_HEIGHT)
    assert corners[10] == (MARGIN + SLOT_WIDTH + STACK_INDENT, MARGIN + ROW_HEIGHT)
    assert corners[40] == (MARGIN + 4 * SLOT_WIDTH + STACK_INDENT, MARGIN + 7 * ROW_HEIGHT)
    assert corners[1] == (MARGIN + 2 * SLOT_WIDTH, MARGIN)
    assert len(set(corners.values())) == 40  # no two boxes overlap
    assert forty.width == MARGIN + 4 * SLOT_WIDTH + STACK_INDENT + BOX_WIDTH + MARGIN
    assert forty.height == MARGIN + 8 * ROW_HEIGHT + BOX_HEIGHT + MARGIN


def test_three_reports_stay_side_by_side():
    corners = _corners(orgchart_layout([(1, None), (2, 1), (3, 1), (4, 1)]))
    assert {corners[i][1] for i in (2, 3, 4)} == {MARGIN + ROW_HEIGHT}


def test_a_loop_in_the_data_is_still_drawn_once_each():
    chart = orgchart_layout([(1, 2), (2, 1), (3, 3)])
    assert sorted(box.id for box in chart.boxes) == [1, 2, 3]
    assert len(chart.lines) == 1  # the link closing the loop is left out


def test_an_empty_map_draws_nothing():
    chart = orgchart_layout([])
    assert (chart.boxes, chart.lines, chart.width, chart.height) == ([], [], MARGIN, MARGIN)
