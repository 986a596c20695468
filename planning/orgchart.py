"""Where each box of an account's org chart goes (Django-free): people under the person they
report to, a boss centred over their reports, and a long row of reports who manage no one
stacked in columns under their boss, so forty people still fit a page."""

from dataclasses import dataclass

BOX_WIDTH = 200
BOX_HEIGHT = 82
COLUMN_GAP = 28
ROW_GAP = 34
MARGIN = 16
# More reports than this, none of them managing anyone, are stacked in columns of
# STACK_ROWS; each stacked box is indented so the line down its left side stays clear of it.
STACK_AFTER = 3
STACK_ROWS = 8
STACK_INDENT = 18

SLOT_WIDTH = BOX_WIDTH + COLUMN_GAP + STACK_INDENT
ROW_HEIGHT = BOX_HEIGHT + ROW_GAP


@dataclass(frozen=True)
class Placed:
    """One person's box: its top-left corner in pixels."""

    id: int
    x: int
    y: int


@dataclass(frozen=True)
class OrgChart:
    boxes: list[Placed]
    # Each connector as a polyline: [(x, y), ...] from the boss down to the report.
    lines: list[list[tuple[int, int]]]
    width: int
    height: int


def orgchart_layout(people: list[tuple[int, int | None]]) -> OrgChart:
    """Lay out `people`, each (id, reports-to id or None), in the order given (siblings keep
    it). Whoever reports to someone not in the list (or sits in a loop) starts a tree."""
    ids = [person_id for person_id, _ in people]
    known = set(ids)
    children: dict[int, list[int]] = {person_id: [] for person_id in ids}
    roots = []
    for person_id, boss_id in people:
        if boss_id in known and boss_id != person_id:
            children[boss_id].append(person_id)
        else:
            roots.append(person_id)
    slots: dict[int, tuple[float, int]] = {}  # id -> (column, row)
    stacked: set[int] = set()
    column = 0.0
    remaining = list(ids)
    queue = list(roots)
    while queue or remaining:
        if not queue:  # a loop that no root reaches: its first member starts a tree
            queue.append(next(person_id for person_id in remaining if person_id not in slots))
        root = queue.pop(0)
        if root in slots:
            continue
        width, _height = _place(root, column, 0, children, slots, stacked)
        column += width
        remaining = [person_id for person_id in remaining if person_id not in slots]
    return _draw(slots, stacked, children)


def _place(node, column, row, children, slots, stacked) -> tuple[float, int]:
    """Place `node`'s tree with its left edge at `column`; its width (in columns) and
    height (in rows)."""
    slots[node] = (column, row)
    reports = [child for child in children[node] if child not in slots]
    if not reports:
        return 1.0, 1
    if len(reports) > STACK_AFTER and all(not children[report] for report in reports):
        columns = -(-len(reports) // STACK_ROWS)
        for index, report in enumerate(reports):
            slots[report] = (column + index // STACK_ROWS, row + 1 + index % STACK_ROWS)
            stacked.add(report)
        slots[node] = (column + (columns - 1) / 2, row)
        return float(columns), 1 + min(len(reports), STACK_ROWS)
    left = column
    height = 0
    for report in reports:
        if report in slots:  # reached twice through a loop
            continue
        width, below = _place(report, column, row + 1, children, slots, stacked)
        column += width
        height = max(height, below)
    first, last = slots[reports[0]][0], slots[reports[-1]][0]
    slots[node] = ((first + last) / 2, row)
    return column - left, 1 + height


def _draw(slots, stacked, children) -> OrgChart:
    boxes = {
        node: Placed(
            id=node,
            x=round(MARGIN + column * SLOT_WIDTH + (STACK_INDENT if node in stacked else 0)),
            y=MARGIN + row * ROW_HEIGHT,
        )
        for node, (column, row) in slots.items()
    }
    lines = []
    for boss, reports in children.items():
        top = boxes[boss]
        for report in reports:
            box = boxes[report]
            if box.y <= top.y:  # the link that closes a loop
                continue
            start = (top.x + BOX_WIDTH // 2, top.y + BOX_HEIGHT)
            elbow = top.y + BOX_HEIGHT + ROW_GAP // 2
            if report in stacked:
                # Along to the column's left side, down it, then in to the report's box.
                rail = box.x - STACK_INDENT // 2
                middle = box.y + BOX_HEIGHT // 2
                line = [start, (start[0], elbow), (rail, elbow), (rail, middle), (box.x, middle)]
            else:
                end_x = box.x + BOX_WIDTH // 2
                line = [start, (start[0], elbow), (end_x, elbow), (end_x, box.y)]
            lines.append(line)
    placed = list(boxes.values())
    width = max((box.x + BOX_WIDTH for box in placed), default=0) + MARGIN
    height = max((box.y + BOX_HEIGHT for box in placed), default=0) + MARGIN
    return OrgChart(
        boxes=sorted(placed, key=lambda box: (box.y, box.x)),
        lines=lines,
        width=width,
        height=height,
    )
