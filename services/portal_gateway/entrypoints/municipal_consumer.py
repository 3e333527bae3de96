"""The AMQP door for municipal systems: nameko's `@consume`, handed each message as it came.

kombu would decode a body before nameko's consumer sees it, and a body that is not JSON (or of
another content type) would then stop the consumer instead of being the publisher's mistake,
refused with its reason. So this consumer takes the raw message (kombu's `on_message`), gives the
worker the body and what the broker says of it (`user_id`, routing key), and never takes nameko
context headers from an outside publisher. The queue is declared by the broker's definitions
(deploy/rabbitmq/definitions.py): the gateway only reads it.

A worker that fails (a backend down) requeues its message after a pause that grows with each
delivery; after the queue's delivery limit the broker dead-letters it (`gateway.municipal.dead`),
and the same consumer, on that queue, keeps it with the refused events for ops to see.
"""

from __future__ import annotations

from functools import partial

from kombu import Queue
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import Consumer, QueueConsumer

from contracts.municipal import MUNICIPAL_DEAD, MUNICIPAL_QUEUE
from services.common.nameko_outages import SurvivesLostConnections
from services.portal_gateway.application.municipal_events import Message

QUEUE = Queue(MUNICIPAL_QUEUE, no_declare=True)
DEAD_LETTERS = Queue(MUNICIPAL_DEAD, no_declare=True)


# municipal events in flight at once: the container's workers also answer HTTP, and a message
# waiting out its pause (a backend down) holds one; a few leave the staff's requests room
IN_FLIGHT = 2


class RawQueueConsumer(SurvivesLostConnections, QueueConsumer):
    """nameko's queue consumer, with messages handed over undecoded, a few at a time; an ack or
    a requeue lost with the broker's connection is no fatal error (nameko_outages.py)."""

    @property
    def prefetch_count(self):
        return min(IN_FLIGHT, self.container.max_workers)

    def get_consumers(self, consumer_cls, channel):
        for provider in self._providers:
            consumer = consumer_cls(
                queues=[provider.queue],
                on_message=partial(self.handle_message, provider, None),
                accept=self.accept,
            )
            consumer.qos(prefetch_count=self.prefetch_count)
            self._consumers[provider] = consumer
        return self._consumers.values()


class MunicipalMessages(Consumer):
    queue_consumer = RawQueueConsumer()

    def __init__(self, queue: Queue = QUEUE, **kwargs):
        super().__init__(queue, requeue_on_error=True, **kwargs)

    def handle_message(self, body, message):
        properties, headers = message.properties, message.headers or {}
        delivered = Message(
            body=message.body if isinstance(message.body, bytes) else message.body.encode(),
            user_id=properties.get("user_id"),
            routing_key=message.delivery_info.get("routing_key", ""),
            content_type=properties.get("content_type"),
        )
        deliveries = int(headers.get("x-delivery-count") or 0)
        try:
            self.container.spawn_worker(
                self,
                (delivered, deliveries),
                {},
                context_data={},  # an outside publisher sets no nameko context (no call ids)
                handle_result=partial(self.handle_result, message),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)


municipal_messages = MunicipalMessages.decorator


def backoff(deliveries: int) -> float:
    """Seconds to wait before a failed message goes back: 1, 2, 4, ... up to a minute."""
    return float(min(60, 2**deliveries))
