"""Webhooks: signed deliveries sent by the Celery task (eager here) to a real receiver on
127.0.0.1, retried with back-off, recorded with their answer, replayable."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import MetricsRun, TierSnapshot
from accounts.signals import metrics_recomputed
from api.models import WebhookDelivery
from api.signing import signature_header, signature_valid
from api.webhooks import webhook_delivery_replay, webhook_endpoint_create, webhook_event_emit
from scoring.models import ScoringRound
from scoring.services import decision_record, round_transition
from tests.factories import CustomerFactory
from tests.fixtures.rounds import stage_set

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers the statuses it is
    given, in turn (then 200)."""

    def __init__(self, statuses=()):
        self.requests, self.statuses = [], list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(f"answer {status}".encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture(autouse=True)
def _eager_retries(monkeypatch):
    """Run eagerly, a task's retries run at once, one after the other, as long as the
    Retry it raises is not propagated (which the test settings do for other tasks)."""
    from kamapp.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.WEBHOOK_RETRY_DELAY = 0
    settings.WEBHOOK_MAX_RETRIES = 2
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = True


def test_a_delivery_is_signed_and_recorded(receiver, django_capture_on_commit_callbacks):
    server = receiver()
    endpoint = webhook_endpoint_create(name="CRM", url=server.url, events=["decision.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = webhook_event_emit(event="decision.recorded", data={"customer": "M1"})
    (sent,) = server.requests
    body = json.loads(sent["body"])
    assert body["event"] == "decision.recorded" and body["data"] == {"customer": "M1"}
    assert body["id"] == delivery.pk and sent["headers"]["X-Kam-Event"] == "decision.recorded"
    header = sent["headers"]["X-Kam-Signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert abs(timestamp - time.time()) < 60
    assert signature_valid(
        secret=endpoint.secret, body=sent["body"], header=header, now=int(time.time())
    )
    assert not signature_valid(
        secret="other", body=sent["body"], header=header, now=int(time.time())
    )
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert (delivery.response_status, delivery.response_body) == (200, "answer 200")


def test_the_signature_is_hmac_sha256_of_timestamp_and_body():
    import hashlib
    import hmac

    expected = hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature_header(secret="s3cret", body=b"{}", timestamp=1700000000) == (
        f"t=1700000000,v1={expected}"
    )
    header = signature_header(secret="s3cret", body=b"{}", timestamp=1700000000)
    assert not signature_valid(secret="s3cret", body=b"{}", header=header, now=1700000000 + 301)


def test_a_refused_delivery_is_retried_until_it_is_taken(
    receiver, django_capture_on_commit_callbacks
):
    server = receiver(statuses=[500, 503])
    webhook_endpoint_create(name="CRM", url=server.url, events=["import.finished"])
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = webhook_event_emit(event="import.finished", data={"import": 1})
    assert len(server.requests) == 3
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3


def test_a_delivery_that_never_gets_through_fails_and_can_be_replayed(
    receiver, django_capture_on_commit_callbacks
):
    server = receiver(statuses=[500, 500, 500])
    webhook_endpoint_create(name="CRM", url=server.url, events=["import.finished"])
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = webhook_event_emit(event="import.finished", data={"import": 1})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 500)
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_delivery_replay(delivery=delivery)
    again.refresh_from_db()
    assert again.status == "delivered" and len(server.requests) == 4
    assert json.loads(server.requests[-1]["body"])["data"] == {"import": 1}


def test_an_unreachable_receiver_is_recorded_as_an_error(django_capture_on_commit_callbacks):
    webhook_endpoint_create(name="Gone", url="http://127.0.0.1:9/hook", events=["import.finished"])
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = webhook_event_emit(event="import.finished", data={})
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.response_status is None and delivery.error


def test_only_endpoints_that_asked_for_the_event_get_it(receiver):
    server = receiver()
    webhook_endpoint_create(name="CRM", url=server.url, events=["decision.recorded"])
    assert webhook_event_emit(event="import.finished", data={}) == []


@pytest.mark.parametrize("url", ["http://crm.example.com/hook", "ftp://127.0.0.1/x"])
def test_an_endpoint_must_be_https(url):
    with pytest.raises(ValidationError):
        webhook_endpoint_create(name="CRM", url=url, events=["import.finished"])


def test_plain_http_to_this_machine_only_where_allowed(settings, receiver):
    settings.WEBHOOK_ALLOW_LOOPBACK_HTTP = False
    with pytest.raises(ValidationError):
        webhook_endpoint_create(name="CRM", url=receiver().url, events=["import.finished"])


def test_tiers_recomputed_lists_the_customers_that_changed_tier(
    receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    webhook_endpoint_create(name="CRM", url=server.url, events=["tiers.recomputed"])
    mover, stayer = CustomerFactory(code="T1"), CustomerFactory(code="S1")
    runs = []
    for minutes, tiers in ((10, {mover: "B", stayer: "A"}), (0, {mover: "A", stayer: "A"})):
        started = timezone.now() - timezone.timedelta(minutes=minutes)
        run = MetricsRun.objects.create(
            trigger="command", status="succeeded", started_at=started, finished_at=started
        )
        for customer, tier in tiers.items():
            TierSnapshot.objects.create(run=run, customer=customer, tier=tier)
        runs.append(run)
    with django_capture_on_commit_callbacks(execute=True):
        metrics_recomputed.send(sender=MetricsRun, run=runs[1])
    data = json.loads(server.requests[0]["body"])["data"]
    assert data["tier_changes"] == [{"customer": "T1", "from": "B", "to": "A"}]


def test_a_stage_move_and_a_decision_are_announced(
    receiver, team_round, django_capture_on_commit_callbacks
):
    r = team_round
    server = receiver()
    webhook_endpoint_create(
        name="CRM", url=server.url, events=["round.stage_changed", "decision.recorded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        round_transition(scoring_round=r.round, to_status="meeting", user=r.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(
            scoring_round=r.round,
            customer=r.mine,
            choice="key",
            coverage="farmer",
            rationale="",
            box="key",
            user=r.coordinator,
        )
    events = [json.loads(sent["body"]) for sent in server.requests]
    assert [event["event"] for event in events] == ["round.stage_changed", "decision.recorded"]
    assert events[0]["data"] == {
        "round": r.round.pk,
        "name": r.round.name,
        "from": "scoring",
        "to": "meeting",
    }
    assert events[1]["data"]["customer"] == "M1" and events[1]["data"]["choice"] == "key"
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2
    stage_set(r, ScoringRound.Status.MEETING)
