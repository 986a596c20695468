"""Sortable table headers: each column's link to sort by it, and the order it shows now."""


def sort_columns(*, sort: str, labels: dict, largest_first=()) -> dict[str, dict]:
    """For each column key: its label, the `sort` value its header link asks for (the
    column's first order, or the reverse when it is already sorted by it) and its current
    direction ("asc", "desc" or ""). Columns in `largest_first` start descending."""
    columns = {}
    for key, label in labels.items():
        first = f"-{key}" if key in largest_first else key
        if sort == first:
            following = first[1:] if first.startswith("-") else f"-{first}"
        else:
            following = first
        direction = "" if sort.removeprefix("-") != key else ("desc" if sort[0] == "-" else "asc")
        columns[key] = {"label": label, "sort": following, "direction": direction}
    return columns
