"""Arrows on the matrix: each account's move since the previous round (the review), and to
where the team expects it in three years."""

import numpy as np

from kamapp.charts import BOX_COLOURS

from .charts import CHANGED_COLOUR, matrix_figure, shown_scores


def move_arrow(*, start: tuple, end: tuple, width: float, colour: str, name: str) -> dict:
    """An arrow on the matrix from one (strength, attractiveness) position to another."""
    return {
        "x": end[0],
        "y": end[1],
        "ax": start[0],
        "ay": start[1],
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1,
        "arrowwidth": width,
        "arrowcolor": colour,
        "text": "",
        "hovertext": name,
    }


def arrows_add(figure: dict, arrows: list[dict]) -> dict:
    """The arrows on the figure, whichever way charts.js runs the strength axis."""
    layout = figure["layout"]
    layout["annotations"] = layout["annotations"] + arrows
    flipped = layout["meta"]["strength_high_on_right"]
    flipped["annotations"] = flipped["annotations"] + arrows
    return figure


def review_figure(*, review) -> dict:
    """This round's matrix with an arrow from each moved account's previous position."""
    now = review["now"]
    figure = matrix_figure(matrix=now, rows=now.placed_rows())
    arrows = []
    for row in review["rows"]:
        if row.before is None or row.after is None:
            continue
        before = (row.before.relative_strength, row.before.attractiveness)
        after = (row.after.relative_strength, row.after.attractiveness)
        if before == after:
            continue
        arrows.append(
            move_arrow(
                start=before,
                end=after,
                width=1.6 if row.moved else 0.8,
                colour=CHANGED_COLOUR if row.moved else "#94a3b8",
                name=row.customer.name,
            )
        )
    return arrows_add(figure, arrows)


def foresight_arrows_add(figure: dict, *, foresight, rows: np.ndarray) -> dict:
    """An arrow from each drawn account's position today to where the team expects it in
    three years (strength as today), for the accounts with a full three-year position that
    move; in the colour of the box it is expected in."""
    matrix = foresight.matrix
    moving = foresight.arrow_rows(rows)
    strength = shown_scores(matrix.result.relative_strength[moving])
    today = shown_scores(matrix.result.attractiveness[moving])
    expected = shown_scores(foresight.attractiveness[moving])
    arrows = [
        move_arrow(
            start=(x, y_today),
            end=(x, y_expected),
            width=1.6,
            colour=BOX_COLOURS.get(foresight.box[row], "#334155"),
            name=matrix.customers[row].name,
        )
        for row, x, y_today, y_expected in zip(
            moving.tolist(), strength, today, expected, strict=True
        )
        if y_expected != y_today
    ]
    return arrows_add(figure, arrows)
