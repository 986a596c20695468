"""Background job of the webhooks: one delivery, retried with exponential back-off."""

from celery import shared_task
from django.conf import settings

from .models import WebhookDelivery


@shared_task(bind=True, name="api.tasks.webhook_deliver_task", max_retries=None)
def webhook_deliver_task(self, delivery_id: int) -> str:
    from .webhooks import webhook_delivery_attempt

    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status  # delivered already (a message the broker sent again)
    retries = self.request.retries or 0
    last = retries >= settings.WEBHOOK_MAX_RETRIES
    if webhook_delivery_attempt(delivery=delivery, last=last) or last:
        return delivery.status
    # 30 s, 60 s, 120 s, ... (WEBHOOK_RETRY_DELAY doubled each time).
    raise self.retry(countdown=settings.WEBHOOK_RETRY_DELAY * 2**retries)
