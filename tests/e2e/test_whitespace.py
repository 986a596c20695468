"""An admin maps a code prefix to a product group; the whitespace matrix then shows a key
account the group as a cross-sell candidate, with its segment's penetration."""

from decimal import Decimal

from playwright.sync_api import expect

from accounts.models import Customer
from accounts.selectors import metrics_period
from scoring.selectors import decisions_latest_decided
from tests.factories import LedgerLineFactory


def _peer_buys_solar() -> tuple[Customer, int]:
    """A peer of a key account buys a code no one else buys; (the key account, its segment's
    size)."""
    key_ids = [cid for cid, d in decisions_latest_decided().items() if d.choice == "key"]
    key = Customer.objects.filter(pk__in=key_ids, segment__isnull=False).order_by("name").first()
    peer = Customer.objects.filter(segment=key.segment).exclude(pk=key.pk).first()
    LedgerLineFactory(
        customer=peer,
        product_code="SOL-100",
        amount=Decimal("5000"),
        invoice_date=metrics_period()[1],
    )
    return key, Customer.objects.filter(segment=key.segment).count()


def test_admin_maps_a_prefix_and_the_matrix_shows_a_cross_sell_candidate(login, demo_site):
    key, segment_size = _peer_buys_solar()
    page = login("admin")
    page.goto(f"{demo_site.url}/product-groups/")
    expect(page.locator('tr[data-code="SOL-100"]')).to_contain_text("no rule")
    page.get_by_label("Product groups").fill("SOL* = Solar\n")
    page.get_by_role("button", name="Save the product groups").click()
    expect(page.get_by_text("Product groups saved.")).to_be_visible()
    expect(page.locator('tr[data-code="SOL-100"]')).to_contain_text("the prefix SOL*")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Whitespace").click()
    expect(page.get_by_role("heading", name="Whitespace")).to_be_visible()
    expect(page.locator('th[data-group="Solar"]')).to_be_visible()
    candidate = page.locator(
        f'tr[data-customer="{key.code}"] td[data-group="Solar"] [data-candidate]'
    )
    expect(candidate).to_have_text(f"{100 / segment_size:.0f}%")

    # The key account's own page names the candidate and the segment's penetration.
    page.get_by_role("link", name=key.name).click()
    expect(page.locator('#whitespace-cross-sell tr[data-group="Solar"]')).to_contain_text(
        f"{100 / segment_size:.1f}%"
    )
