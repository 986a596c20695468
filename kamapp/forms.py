"""Input parsing shared by every app's pages."""


def parse_id(value: str | None) -> int | None:
    """An id typed in a query or form: ASCII digits within a database id's range, or None.

    (str.isdigit alone admits digits such as "²" that int() refuses.)
    """
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
