"""Where the matrix chart's labels go: the highlighted account's name clear of the other
bubbles, and the box names inside the plotting area whichever way the strength axis runs.

Plain geometry in pixels of a nominal plotting area (x to the right, y down from the top
left corner); no Django, no plotly. The chart is drawn larger or smaller than the nominal
area, but its labels keep their size in pixels: the positions are worked out for the
projector, the size the meeting is held at.
"""

import math
from dataclasses import dataclass

import numpy as np

# The meeting chart's plotting area on a 1920×1080 projector, in px (as drawn in Chromium).
NOMINAL_WIDTH = 1040
NOMINAL_HEIGHT = 795
CHAR_WIDTH = 0.62  # average glyph width over the font size (sans-serif, mixed case)
BOLD_CHAR_WIDTH = 0.68
LINE_HEIGHT = 1.35  # a line's height over the font size
CLEARANCE = 3  # px kept free between a label and a bubble or another label
# Label positions tried: DIRECTIONS around the bubble, each at the nearest distance clear of
# its ring and then at these further distances (px), the label tied to it by a line.
DIRECTIONS = 16
FURTHER = (0, 25, 50, 80, 120, 170, 230, 300)


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def around(cls, x: float, y: float, size: tuple[float, float]) -> "Rect":
        """The rectangle of that size centred on (x, y)."""
        width, height = size
        return cls(x - width / 2, y - height / 2, x + width / 2, y + height / 2)

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width and self.bottom <= height

    def overlaps(self, other: "Rect", margin: float = 0.0) -> bool:
        return (
            self.left - margin < other.right
            and other.left < self.right + margin
            and self.top - margin < other.bottom
            and other.top < self.bottom + margin
        )

    def distances(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Each point's distance to the rectangle (0 inside it)."""
        dx = np.maximum(np.maximum(self.left - x, x - self.right), 0)
        dy = np.maximum(np.maximum(self.top - y, y - self.bottom), 0)
        return np.hypot(dx, dy)


@dataclass(frozen=True)
class PlotArea:
    """A plotting area in px and the axis values at its edges (a reversed axis runs from the
    higher value at the left)."""

    width: float
    height: float
    x_range: tuple[float, float]  # values at the left and right edges
    y_range: tuple[float, float]  # values at the bottom and top edges

    def pixels(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        (left, right), (bottom, top) = self.x_range, self.y_range
        return (
            (np.asarray(x, dtype=float) - left) / (right - left) * self.width,
            (top - np.asarray(y, dtype=float)) / (top - bottom) * self.height,
        )

    def values(self, px, py) -> tuple[np.ndarray, np.ndarray]:
        (left, right), (bottom, top) = self.x_range, self.y_range
        return (
            left + np.asarray(px, dtype=float) / self.width * (right - left),
            top - np.asarray(py, dtype=float) / self.height * (top - bottom),
        )


def text_size(text: str, font_size: float, *, bold: bool = False) -> tuple[float, float]:
    """A one-line text's width and height in px, estimated from its length (generously, so
    that a label judged clear is clear)."""
    width = len(text) * font_size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)
    return width + 4, font_size * LINE_HEIGHT


def anchored_rect(
    x: float, y: float, size: tuple[float, float], xanchor: str, yanchor: str
) -> Rect:
    """The rectangle of a text of that size anchored at (x, y) px the way plotly anchors an
    annotation ("left": the text starts at x; "top": it hangs from y)."""
    width, height = size
    left = {"left": x, "center": x - width / 2, "right": x - width}[xanchor]
    top = {"top": y, "middle": y - height / 2, "bottom": y - height}[yanchor]
    return Rect(left, top, left + width, top + height)


def corner_anchor(
    *, strength_high: bool, attractiveness_high: bool, high_on_left: bool
) -> tuple[str, str]:
    """plotly's xanchor and yanchor for a box name at its corner of the matrix, so that the
    text runs into the box: from the left edge rightwards, from the top downwards."""
    on_left = strength_high == high_on_left
    return ("left" if on_left else "right"), ("top" if attractiveness_high else "bottom")


def _clear_distance(direction: tuple[float, float], size: tuple[float, float], radius: float):
    """How far along a unit direction a label's centre must be for the label to keep `radius`
    px from the point it starts from (bisection: the distance grows along the way)."""
    ux, uy = direction
    width, height = size

    def gap(t: float) -> float:
        return math.hypot(max(abs(t * ux) - width / 2, 0), max(abs(t * uy) - height / 2, 0))

    low, high = 0.0, radius + math.hypot(width, height)
    for _step in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if gap(middle) < radius else (low, middle)
    return high


@dataclass(frozen=True)
class LabelPlace:
    x: float  # the label's centre, px
    y: float
    bubbles_covered: int
    labels_covered: int


def label_place(
    *,
    plot: PlotArea,
    centre: tuple[float, float],
    ring_radius: float,
    size: tuple[float, float],
    bubbles: tuple[np.ndarray, np.ndarray, np.ndarray],
    obstacles: list[Rect],
) -> LabelPlace:
    """The centre (px) of a label of `size` for the bubble at `centre` circled by a ring of
    `ring_radius`: inside the plotting area, covering as few of the other bubbles (their
    centres and radii in px) and of the obstacles (other labels) as it can, and then as
    near the bubble as it can, above it where all else is equal."""
    cx, cy = centre
    bx, by, radius = (np.asarray(a, dtype=float) for a in bubbles)

    def place(x: float, y: float) -> LabelPlace:
        rect = Rect.around(x, y, size)
        covered = int(np.count_nonzero(rect.distances(bx, by) < radius + CLEARANCE))
        return LabelPlace(x, y, covered, sum(rect.overlaps(o, CLEARANCE) for o in obstacles))

    best = None
    for k in range(DIRECTIONS):
        angle = 2 * math.pi * k / DIRECTIONS
        direction = (math.sin(angle), -math.cos(angle))  # k = 0 straight up, then clockwise
        nearest = _clear_distance(direction, size, ring_radius + CLEARANCE)
        for further in FURTHER:
            distance = nearest + further
            x, y = cx + distance * direction[0], cy + distance * direction[1]
            if not Rect.around(x, y, size).inside(plot.width, plot.height):
                continue
            candidate = place(x, y)
            key = (candidate.bubbles_covered + candidate.labels_covered, round(distance), k)
            if best is None or key < best[0]:
                best = key, candidate
    if best is None:  # a label wider than the plot: above the bubble, as plotly would
        return place(cx, cy - ring_radius - CLEARANCE - size[1] / 2)
    return best[1]
