import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@revgate/auth';
import { applyKeyset, toSlice, TransactionHost } from '@revgate/persistence';
import { ApiError, keysetPage, keysetWindow, type Page } from '@revgate/platform';
import { EventsErrorCode } from '../../events-error-code';
import { WebhookAudit } from '../webhook.audit';
import { WebhookDeliveryEntity } from '../webhook-delivery.entity';
import { assertUnlimited } from '../webhook.guards';
import { WebhookSubscriptionEntity } from '../webhook-subscription.entity';
import { toDeliveryResponse } from '../webhooks.mappers';
import { ListWebhookDeliveriesQuery, WebhookDeliveryResponse } from './dto/webhook-delivery.dto';

const deliveryNotFound = (id: string): ApiError =>
  new ApiError(
    404,
    EventsErrorCode.WEBHOOK_DELIVERY_NOT_FOUND,
    `Webhook delivery ${id} does not exist.`,
  );

@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: WebhookAudit,
  ) {}

  async list(
    caller: Principal,
    query: ListWebhookDeliveriesQuery,
  ): Promise<Page<WebhookDeliveryResponse>> {
    assertUnlimited(caller);
    const window = keysetWindow(query);
    const qb = this.tx.manager.createQueryBuilder(WebhookDeliveryEntity, 'd');
    if (query.subscriptionId)
      qb.andWhere('d.subscriptionId = :subscriptionId', { subscriptionId: query.subscriptionId });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.eventType) qb.andWhere('d.eventType = :eventType', { eventType: query.eventType });
    if (query.eventId) qb.andWhere('d.eventId = :eventId', { eventId: query.eventId });
    const rows = await applyKeyset(qb, window).getMany();
    return keysetPage(
      toSlice(rows, window.limit, (r) => r),
      toDeliveryResponse,
    );
  }

  async get(caller: Principal, id: string): Promise<WebhookDeliveryResponse> {
    assertUnlimited(caller);
    const found = await this.tx.manager.findOneBy(WebhookDeliveryEntity, { id });
    if (!found) throw deliveryNotFound(id);
    return toDeliveryResponse(found);
  }

  /**
   * Sends the delivery's event to its subscription again, as a new delivery due now; the one
   * replayed is left as it was (history is never rewritten).
   */
  async replay(caller: Principal, id: string): Promise<WebhookDeliveryResponse> {
    assertUnlimited(caller);
    return this.tx.run(async () => {
      const original = await this.tx.manager.findOneBy(WebhookDeliveryEntity, { id });
      if (!original) throw deliveryNotFound(id);
      const subscription = await this.tx.manager.findOne(WebhookSubscriptionEntity, {
        where: { id: original.subscriptionId },
        lock: { mode: 'pessimistic_read' },
      });
      if (!subscription || subscription.deletedAt !== null) {
        throw new ApiError(
          409,
          EventsErrorCode.WEBHOOK_SUBSCRIPTION_DELETED,
          `The subscription of delivery ${id} was deleted: there is nowhere to send it.`,
        );
      }
      if (!subscription.enabled) {
        throw new ApiError(
          409,
          EventsErrorCode.WEBHOOK_SUBSCRIPTION_DISABLED,
          `Webhook subscription ${subscription.id} is disabled: enable it before replaying to it.`,
        );
      }
      const now = new Date();
      const replay: WebhookDeliveryEntity = {
        id: randomUUID(),
        subscriptionId: original.subscriptionId,
        eventId: original.eventId,
        eventType: original.eventType,
        status: 'pending',
        origin: 'replay',
        replayOf: original.id,
        requestedBy: caller.subject,
        attempts: 0,
        nextAttemptAt: now,
        lastAttemptAt: null,
        lastStatusCode: null,
        lastError: null,
        deliveredAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.tx.manager.insert(WebhookDeliveryEntity, replay);
      await this.audit.record(
        'delivery.replayed',
        caller.subject,
        { subscriptionId: original.subscriptionId, deliveryId: replay.id },
        { replayOf: original.id, eventId: original.eventId },
      );
      return toDeliveryResponse(replay);
    });
  }
}
