import type { WebhookDeliveryResponse } from './deliveries/dto/webhook-delivery.dto';
import type { WebhookSubscriptionResponse } from './subscriptions/dto/webhook-subscription.dto';
import type { WebhookDeliveryEntity } from './webhook-delivery.entity';
import type { WebhookSubscriptionEntity } from './webhook-subscription.entity';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSubscriptionResponse(
  s: WebhookSubscriptionEntity,
  now: Date = new Date(),
): WebhookSubscriptionResponse {
  const graceEnds =
    s.previousSecretSealed !== null &&
    s.previousSecretExpiresAt !== null &&
    s.previousSecretExpiresAt > now
      ? s.previousSecretExpiresAt
      : null;
  return {
    id: s.id,
    url: s.url,
    eventTypes: s.eventTypes,
    description: s.description,
    enabled: s.enabled,
    secretRotatedAt: iso(s.secretRotatedAt),
    previousSecretExpiresAt: iso(graceEnds),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    version: s.version,
  };
}

export function toDeliveryResponse(d: WebhookDeliveryEntity): WebhookDeliveryResponse {
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    origin: d.origin,
    replayOf: d.replayOf,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
