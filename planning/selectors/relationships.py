"""Reads of an account's relationship map: its people, the org chart drawn from who reports
to whom, and the gaps in our coverage of the buying centre."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Customer

from ..models import Contact
from ..orgchart import BOX_HEIGHT, BOX_WIDTH, orgchart_layout

# Each stance's colour on the chart and in its legend: green for us, red against us.
STANCE_COLOURS = {
    Contact.Stance.ADVOCATE: "#15803d",
    Contact.Stance.SUPPORTER: "#65a30d",
    Contact.Stance.NEUTRAL: "#94a3b8",
    Contact.Stance.SCEPTIC: "#d97706",
    Contact.Stance.HOSTILE: "#b91c1c",
}

GAP_MESSAGES = {
    "no_decision_maker": _("No decision maker known."),
    "no_sponsor": _("No executive sponsor."),
    "single_contact": _("A single point of contact: if they leave, we lose the account's ear."),
}

# Longer texts are cut to fit a box (the whole text is in the box's tooltip).
_TEXT_FIT = 27
# Each of a box's four lines of text: its baseline from the box's top, in pixels.
_BASELINES = (21, 39, 57, 74)


@dataclass(frozen=True)
class ChartBox:
    contact: Contact
    x: int
    y: int
    colour: str
    lines: list[tuple[int, str]]


def relationship_gaps(*, contacts: list[Contact]) -> list[str]:
    """What the map lacks, from its active people: a decision maker, an executive sponsor,
    more than one person to talk to. (An empty map lacks the first two.)"""
    active = [contact for contact in contacts if contact.active]
    roles = {contact.buying_role for contact in active}
    gaps = []
    if Contact.BuyingRole.DECISION_MAKER not in roles:
        gaps.append("no_decision_maker")
    if Contact.BuyingRole.SPONSOR not in roles:
        gaps.append("no_sponsor")
    if len(active) == 1:
        gaps.append("single_contact")
    return gaps


def _fit(text: str) -> str:
    return text if len(text) <= _TEXT_FIT else f"{text[: _TEXT_FIT - 1]}…"


def _owner_name(user) -> str:
    return user.get_full_name() or user.username


def relationship_chart(*, contacts: list[Contact]) -> dict:
    """The org chart of the active people: boxes (name, title, role in buying, our owner, in
    their stance's colour) and the lines between them, for an inline SVG."""
    active = [contact for contact in contacts if contact.active]
    chart = orgchart_layout([(contact.pk, contact.reports_to_id) for contact in active])
    by_id = {contact.pk: contact for contact in active}
    boxes = []
    for placed in chart.boxes:
        contact = by_id[placed.id]
        owner = contact.relationship_owner
        boxes.append(
            ChartBox(
                contact=contact,
                x=placed.x,
                y=placed.y,
                colour=STANCE_COLOURS[contact.stance],
                lines=list(
                    zip(
                        _BASELINES,
                        [
                            _fit(contact.name),
                            _fit(contact.title or "—"),
                            _fit(contact.get_buying_role_display()),
                            _fit(
                                _("Ours: %(owner)s") % {"owner": _owner_name(owner)}
                                if owner
                                else _("Ours: nobody")
                            ),
                        ],
                        strict=True,
                    )
                ),
            )
        )
    return {
        "boxes": boxes,
        "paths": [" ".join(f"{x},{y}" for x, y in line) for line in chart.lines],
        "width": chart.width,
        "height": chart.height,
        "box_width": BOX_WIDTH,
        "box_height": BOX_HEIGHT,
    }


def account_contacts(*, customer: Customer) -> list[Contact]:
    """All the account's people, present and gone, with their boss and our owner."""
    return list(
        Contact.objects.filter(customer=customer).select_related("reports_to", "relationship_owner")
    )


def account_relationships(*, customer: Customer) -> dict:
    """The account page's map: its people (present, then gone), the chart and the gaps."""
    contacts = account_contacts(customer=customer)
    return {
        "contacts": [contact for contact in contacts if contact.active],
        "former_contacts": [contact for contact in contacts if not contact.active],
        "chart": relationship_chart(contacts=contacts),
        "gaps": [GAP_MESSAGES[gap] for gap in relationship_gaps(contacts=contacts)],
        "stances": [(label, STANCE_COLOURS[value]) for value, label in Contact.Stance.choices],
    }
