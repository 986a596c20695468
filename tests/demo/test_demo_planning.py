"""The demo's account planning: plans with objectives at various progress after the
recompute, an org chart per key account with some gaps, a contact log with some accounts
overdue, product codes grouped; seeding twice adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.services import metrics_recompute
from demo.services import demo_company_seed
from planning.models import AccountPlan, CadenceFlag, Contact, ContactLogEntry, ProductGroupRule
from planning.selectors import key_account_decisions, plan_glance, relationship_gaps

pytestmark = pytest.mark.django_db


def test_every_key_account_has_a_plan_people_and_contacts(seeded):
    keys = key_account_decisions()
    today = timezone.localdate()
    assert keys and set(AccountPlan.objects.values_list("customer_id", flat=True)) == set(keys)
    metrics_recompute(trigger="command")
    glances = plan_glance(customer_ids=keys, year=today.year, today=today)
    progresses = {glance.progress for glance in glances.values()}
    # Revenue bound to the ledger and a share typed by hand: progress differs by account.
    assert len(progresses) > 5 and None not in progresses
    assert any(glance.overdue_actions for glance in glances.values())
    assert set(Contact.objects.values_list("customer_id", flat=True)) == set(keys)
    assert set(ContactLogEntry.objects.values_list("customer_id", flat=True)) == set(keys)
    gaps = [
        relationship_gaps(contacts=list(Contact.objects.filter(customer_id=pk, active=True)))
        for pk in keys
    ]
    assert any(gaps) and not all(gaps)
    assert ProductGroupRule.objects.count() == 5


def test_the_seed_command_flags_overdue_accounts_and_a_second_seed_adds_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    flagged = CadenceFlag.objects.count()
    assert 0 < flagged < len(key_account_decisions())
    counts = (AccountPlan.objects.count(), Contact.objects.count(), ContactLogEntry.objects.count())
    demo_company_seed(create_logins=True)
    assert (
        AccountPlan.objects.count(),
        Contact.objects.count(),
        ContactLogEntry.objects.count(),
    ) == counts
