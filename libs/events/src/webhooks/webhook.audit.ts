import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { currentCorrelationId } from '@revgate/platform';
import { TransactionHost } from '@revgate/persistence';
import { WebhookAuditEntity, type WebhookAuditAction } from './webhook-audit.entity';

/** Appends to the webhook audit log inside the caller's transaction, so the entry commits with the change. */
@Injectable()
export class WebhookAudit {
  constructor(private readonly tx: TransactionHost) {}

  async record(
    action: WebhookAuditAction,
    actor: string,
    target: { subscriptionId?: string; deliveryId?: string },
    detail: object = {},
  ): Promise<void> {
    await this.tx.manager.insert(WebhookAuditEntity, {
      id: randomUUID(),
      at: new Date(),
      actor,
      action,
      subscriptionId: target.subscriptionId ?? null,
      deliveryId: target.deliveryId ?? null,
      correlationId: currentCorrelationId() ?? null,
      detail,
    });
  }
}
