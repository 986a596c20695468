"""The cadence rule, the nightly check's flags and digests, and the owner's dashboard."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.services import user_language_set
from kamapp.celery import app as celery_app
from planning.models import AccountCoverage, BoxCoverage, CadenceFlag
from planning.selectors import cadence_flags_for, cadence_overdue, is_overdue
from planning.services import cadence_check
from planning.tasks import cadence_check_task
from tests.factories import CustomerFactory, UserFactory
from tests.fixtures.schedules import migration_step_run
from tests.planning.coverage import decide, log_contact

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)


def _days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("last_contact", "overdue"),
    [
        (datetime.date(2026, 3, 16), False),  # contacted today: 0 days
        (datetime.date(2026, 3, 2), False),  # 14 days: the cadence's last day
        (datetime.date(2026, 3, 1), True),  # 15 days: day cadence + 1
        (None, True),  # never contacted
    ],
)
def test_an_account_is_overdue_from_the_day_after_its_cadence(last_contact, overdue):
    assert is_overdue(last_contact=last_contact, cadence_days=14, today=TODAY) is overdue


def test_overdue_accounts_follow_each_accounts_own_cadence():
    on_time, late, silent, own_cadence, dropped = (CustomerFactory() for _ in range(5))
    decide(
        {
            on_time: "key",
            late: "key",
            silent: "maintenance",
            own_cadence: "key",
            dropped: "deselected",
        }
    )
    log_contact(on_time, _days_ago(14))
    log_contact(late, _days_ago(40))
    log_contact(late, _days_ago(15))
    log_contact(own_cadence, _days_ago(10))
    AccountCoverage.objects.create(customer=own_cadence, cadence_days=7, reason="Tender")
    found = [
        (item.customer, item.days_since, item.cadence_days) for item in cadence_overdue(today=TODAY)
    ]
    assert found == [(silent, None, 90), (late, 15, 14), (own_cadence, 10, 7)]


def _owned_accounts():
    owner = UserFactory(username="dewi", email="dewi@example.com", first_name="Dewi")
    late = CustomerFactory(code="K1", name="Kopi Nusantara", owner=owner)
    silent = CustomerFactory(code="K2", name="Batik Jaya", owner=owner)
    decide({late: "key", silent: "key_development"})
    log_contact(late, _days_ago(45))
    return owner, late, silent


def test_the_check_records_the_flags_and_mails_each_owner_one_digest():
    owner, late, silent = _owned_accounts()
    result = cadence_check(today=TODAY)
    assert (result.flagged, result.cleared, result.digests) == (2, 0, 1)
    flags = {
        flag.customer_id: (flag.owner, flag.last_contact, flag.cadence_days, flag.flagged_on)
        for flag in CadenceFlag.objects.all()
    }
    assert flags == {
        late.pk: (owner, _days_ago(45), 14, TODAY),
        silent.pk: (owner, None, 30, TODAY),
    }
    [message] = mail.outbox
    assert message.to == ["dewi@example.com"]
    assert message.subject == "KAISM: 2 accounts overdue for contact"
    assert "Hello Dewi," in message.body
    assert "- Batik Jaya (K2): Never contacted; cadence 30" in message.body
    assert "- Kopi Nusantara (K1): Not contacted for 45 days; cadence 14" in message.body
    assert message.body.index("Batik Jaya") < message.body.index("Kopi Nusantara")
    assert "Checked on March 16, 2026." in message.body


def test_every_overdue_account_is_flagged_and_each_owner_with_an_address_gets_a_digest():
    first, second = UserFactory(email="a@example.com"), UserFactory(email="b@example.com")
    accounts = [
        CustomerFactory(owner=first),
        CustomerFactory(owner=first),
        CustomerFactory(owner=second),
        CustomerFactory(owner=None),
        CustomerFactory(owner=UserFactory(email="")),
    ]
    decide(dict.fromkeys(accounts, "key"))
    result = cadence_check(today=TODAY)
    assert (result.flagged, result.digests) == (5, 2)
    assert sorted((m.to[0], m.body.count("Never contacted")) for m in mail.outbox) == [
        ("a@example.com", 2),
        ("b@example.com", 1),
    ]


def test_the_digest_is_written_in_the_owners_language():
    owner, _late, _silent = _owned_accounts()
    user_language_set(user=owner, language="id")
    cadence_check(today=TODAY)
    [message] = mail.outbox
    # Its dates in Indonesian (the wording follows once the catalogue has it).
    assert "16 Maret 2026" in message.body
    assert "Kopi Nusantara (K1)" in message.body


def test_a_flag_keeps_its_first_date_and_goes_once_the_account_is_within_its_cadence():
    _owner, late, silent = _owned_accounts()
    cadence_check(today=_days_ago(1))
    log_contact(silent, TODAY)
    result = cadence_check(today=TODAY)
    assert (result.flagged, result.cleared) == (1, 1)
    flag = CadenceFlag.objects.get()
    assert (flag.customer, flag.flagged_on, flag.checked_on) == (late, _days_ago(1), TODAY)


def test_a_check_run_again_the_same_day_sends_no_second_digest():
    _owned_accounts()
    cadence_check(today=TODAY)
    again = cadence_check(today=TODAY)  # e.g. the task redelivered after its worker died
    assert (again.flagged, again.digests, len(mail.outbox)) == (2, 0, 1)
    assert set(CadenceFlag.objects.values_list("digest_sent_on", flat=True)) == {TODAY}
    tomorrow = cadence_check(today=TODAY + datetime.timedelta(days=1))
    assert (tomorrow.digests, len(mail.outbox)) == (1, 2)


def test_a_digest_that_could_not_be_sent_is_sent_by_the_next_run(monkeypatch):
    _owned_accounts()

    def refused(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused)
    with pytest.raises(ConnectionRefusedError):
        cadence_check(today=TODAY)
    assert set(CadenceFlag.objects.values_list("digest_sent_on", flat=True)) == {None}
    monkeypatch.undo()
    assert cadence_check(today=TODAY).digests == 1
    assert len(mail.outbox) == 1


def test_the_nightly_task_runs_the_check():
    _owned_accounts()
    assert cadence_check_task.delay().get() == {"flagged": 2, "cleared": 0, "digests": 1}
    assert CadenceFlag.objects.count() == 2


def test_the_dashboard_lists_the_owners_flags_until_a_contact_brings_them_within_cadence():
    owner, late, silent = _owned_accounts()
    cadence_check(today=TODAY)
    assert [item.description for item in cadence_flags_for(user=owner, today=TODAY)] == [
        "Never contacted; cadence 30",
        "Not contacted for 45 days; cadence 14",
    ]
    # Two days on, the days are counted to the day; a contact logged meanwhile clears one.
    log_contact(silent, TODAY + datetime.timedelta(days=1))
    later = cadence_flags_for(user=owner, today=TODAY + datetime.timedelta(days=2))
    assert [(item.customer, item.description) for item in later] == [
        (late, "Not contacted for 47 days; cadence 14")
    ]
    assert cadence_flags_for(user=UserFactory(), today=TODAY) == []


def test_the_owner_sees_the_overdue_lines_on_the_dashboard(client):
    owner, late, _silent = _owned_accounts()
    log_contact(late, datetime.date.today() - datetime.timedelta(days=45))
    cadence_check()
    client.force_login(owner)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Overdue for contact" in page
    assert "Not contacted for 45 days; cadence 14" in page
    assert "Never contacted; cadence 30" in page


def test_a_changed_box_cadence_counts_from_the_next_check():
    owner, _late, silent = _owned_accounts()
    cadence_check(today=TODAY)
    BoxCoverage.objects.filter(box="key").update(cadence_days=60)
    # Until the check runs again the dashboard shows what it found.
    assert len(cadence_flags_for(user=owner, today=TODAY)) == 2
    cadence_check(today=TODAY)
    assert [item.customer for item in cadence_flags_for(user=owner, today=TODAY)] == [silent]
    assert list(CadenceFlag.objects.values_list("customer_id", flat=True)) == [silent.pk]


def test_the_check_is_scheduled_nightly_by_a_migration_under_a_registered_task_name():
    migration_step_run("planning.migrations.0004_coverage", "schedule_create")
    task = PeriodicTask.objects.get(name="Nightly contact cadence check")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "5", "*")
    assert celery_app.tasks[task.task].name == cadence_check_task.name == task.task


def test_the_owners_flags_take_two_queries_however_many(django_assert_num_queries):
    owner = UserFactory(email="o@example.com")
    decide({CustomerFactory(owner=owner): "key" for _ in range(7)})
    cadence_check(today=TODAY)
    with django_assert_num_queries(2):  # the flags with their accounts, their last contacts
        assert len(cadence_flags_for(user=owner, today=TODAY)) == 7
