"""Company settings refuse values the matrix and the recompute cannot work with."""

from decimal import Decimal
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import CompanySettings

pytestmark = pytest.mark.django_db


def _admin_form_data(admin_client, url) -> dict:
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attractiveness_cutoff", "15", "less than or equal to 10"),
        ("strength_cutoff", "-3", "greater than or equal to 0"),
        ("period_months", "0", "greater than or equal to 1"),
        ("tier_a_share", "96", "0 < tier A (96"),
        ("tier_b_share", "101", "≤ 100%"),
        ("tier_a_share", "0", "0 < tier A (0"),
    ],
)
def test_admin_refuses_nonsense_settings_and_keeps_the_stored_ones(
    admin_client, field, value, message
):
    company = CompanySettings.load()
    url = reverse("admin:accounts_companysettings_change", args=[company.pk])
    data = _admin_form_data(admin_client, url)
    data[field] = value
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert escape(message) in response.content.decode()
    company.refresh_from_db()
    assert company.attractiveness_cutoff == 5
    assert company.strength_cutoff == 5
    assert company.period_months == 12
    assert (company.tier_a_share, company.tier_b_share) == (80, 95)


def test_settings_at_the_edges_of_the_ranges_are_valid():
    company = CompanySettings.load()
    company.attractiveness_cutoff = Decimal("10")
    company.strength_cutoff = Decimal("0")
    company.period_months = 1
    company.tier_a_share, company.tier_b_share = Decimal("0.01"), Decimal("100")
    company.full_clean()


def test_tier_a_must_be_below_tier_b():
    company = CompanySettings.load()
    company.tier_a_share = company.tier_b_share = Decimal("90")
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "tier_b_share" in error.value.message_dict
