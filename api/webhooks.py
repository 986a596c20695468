"""Webhooks: endpoints admins register, events emitted to them, deliveries signed and sent
(by `api.tasks.webhook_deliver_task`, retried with back-off) and replayed."""

import ipaddress
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kamapp.tasks import BROKER_ERRORS

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .signing import signature_header

logger = logging.getLogger(__name__)
RESPONSE_KEPT = 2000  # characters of a receiver's answer kept on the delivery


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def webhook_url_check(url: str) -> None:
    """Deliveries go over HTTPS; plain HTTP only to this machine, and only where the
    `WEBHOOK_ALLOW_LOOPBACK_HTTP` setting allows it (development and tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and settings.WEBHOOK_ALLOW_LOOPBACK_HTTP
        and _loopback(parts.hostname or "")
    ):
        return
    raise ValidationError({"url": _("A webhook address must start with https://.")}, code="https")


def webhook_endpoint_create(*, name: str, url: str, events: list[str]) -> WebhookEndpoint:
    """A new endpoint with its own secret (shown to the admin once, in the admin)."""
    webhook_url_check(url)
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise ValidationError({"events": _("Choose one or more events.")}, code="events")
    endpoint = WebhookEndpoint(
        name=name, url=url, events=sorted(events), secret=secrets.token_urlsafe(32)
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def _queue(delivery: WebhookDelivery) -> None:
    from .tasks import webhook_deliver_task

    def send():
        try:
            webhook_deliver_task.apply_async(args=(delivery.pk,), ignore_result=True)
        except BROKER_ERRORS:
            # Left pending, for an admin to replay once the broker is back.
            logger.warning("Webhook delivery %s not queued: broker down", delivery.pk)

    transaction.on_commit(send)


def webhook_event_emit(*, event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery per active endpoint that asked for `event`, each queued on commit."""
    deliveries = []
    for endpoint in WebhookEndpoint.objects.filter(is_active=True):
        if event not in endpoint.events:
            continue
        payload = {
            "event": event,
            "created_at": timezone.now().isoformat(),
            "data": data,
        }
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
        )
        _queue(delivery)
        deliveries.append(delivery)
    return deliveries


def webhook_delivery_attempt(*, delivery: WebhookDelivery, last: bool) -> bool:
    """POST the delivery, signed, and record the answer. True when the receiver took it (a
    2xx answer); on the `last` attempt a refusal marks the delivery failed for good."""
    body = json.dumps({"id": delivery.pk, **delivery.payload}, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "kaism-webhooks/1",
            "X-Kam-Event": delivery.event,
            "X-Kam-Delivery": str(delivery.pk),
            "X-Kam-Signature": signature_header(
                secret=delivery.endpoint.secret, body=body, timestamp=timestamp
            ),
        },
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.error = ""
    try:
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT) as answer:
            delivery.response_status = answer.status
            delivery.response_body = answer.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        delivery.response_status = exc.code
        delivery.response_body = exc.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        delivery.response_status = None
        delivery.response_body = ""
        delivery.error = str(getattr(exc, "reason", exc))[:1000]
    delivered = delivery.response_status is not None and 200 <= delivery.response_status < 300
    if delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
    elif last:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()
    return delivered


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery (the old one keeps its record)."""
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint, event=delivery.event, payload=delivery.payload
    )
    _queue(again)
    return again
