import { WebhookAuditEntity } from './webhook-audit.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** The tables a producing app adds to its persistence (beside OutboxEventEntity) to mount WebhooksModule. */
export const WEBHOOK_ENTITIES = [
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookAuditEntity,
] as const;
