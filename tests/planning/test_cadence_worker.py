"""The nightly cadence check for real: a Celery worker takes it from Redis, records the
flags and writes each owner's digest (through Django's file e-mail backend)."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from planning.models import CadenceFlag
from planning.tasks import cadence_check_task
from tests.factories import CustomerFactory, UserFactory
from tests.planning.coverage import decide, log_contact

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (Redis broker)"),
]


@pytest.fixture
def worker_env(tmp_path):
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }


def test_worker_flags_the_overdue_accounts_and_mails_the_owner(worker_queue, worker_env):
    owner = UserFactory(email="dewi@example.com")
    late, recent = (
        CustomerFactory(name="Kopi Nusantara", owner=owner),
        CustomerFactory(owner=owner),
    )
    decide({late: "key", recent: "key"})
    today = timezone.localdate()
    log_contact(late, today - datetime.timedelta(days=20))
    log_contact(recent, today - datetime.timedelta(days=3))

    result = cadence_check_task.apply_async(queue=worker_queue).get(timeout=120)

    assert result == {"flagged": 1, "cleared": 0, "digests": 1}
    assert list(CadenceFlag.objects.values_list("customer_id", "cadence_days")) == [(late.pk, 14)]
    mails = [path.read_text() for path in Path(worker_env["EMAIL_FILE_PATH"]).iterdir()]
    assert len(mails) == 1
    assert "To: dewi@example.com" in mails[0]
    assert "Kopi Nusantara" in mails[0]
    assert "Not contacted for 20 days; cadence 14" in mails[0]
