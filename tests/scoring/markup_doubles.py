"""Stand-ins for what the tables drawn in Python read (an account's position, factors), and
a parser for what they draw."""

from html.parser import HTMLParser
from types import SimpleNamespace


def position_double(**changes) -> SimpleNamespace:
    """A placed account whose name and code hold markup."""
    customer = SimpleNamespace(pk=7, name="Acme <b>&</b> Co", code="C-<7>", tier="A")
    values = {
        "customer": customer,
        "attractiveness": 6.125,
        "relative_strength": 1.5,
        "no_competitor_view": False,
        "complete": True,
        "box": "key",
        "box_label": "Key <account>",
        "missing": [],
        "revenue": 1_234_567.0,
    }
    return SimpleNamespace(**(values | changes))


VOLUME = SimpleNamespace(pk=3, name="Volume", axis="attractiveness", metric="")
DERIVED_REVENUE = SimpleNamespace(
    pk=4,
    name="Revenue",
    axis="attractiveness",
    metric="revenue",
    get_metric_display=lambda: "revenue",
)


class Parsed(HTMLParser):
    """What a fragment holds: its inputs' attributes, its links and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs, self.links, self.text = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.text.append(data)
