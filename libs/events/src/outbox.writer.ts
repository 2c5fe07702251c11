import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_NAME, currentCorrelationId } from '@revgate/platform';
import { TransactionHost } from '@revgate/persistence';
import { EventEnvelope } from '@revgate/canonical';
import { OutboxEventEntity } from './outbox-event.entity';

/** Appends canonical events to the app's outbox inside the caller's transaction. */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly tx: TransactionHost,
    @Inject(APP_NAME) private readonly appName: string,
  ) {}

  async append<T>(
    type: string,
    subject: string,
    data: T,
    causationId?: string,
  ): Promise<EventEnvelope<T>> {
    const manager = this.tx.manager;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'OutboxWriter.append must run inside TransactionHost.run so the event commits with its change',
      );
    }
    const envelope: EventEnvelope<T> = {
      id: randomUUID(),
      type,
      source: `revgate/${this.appName}`,
      subject,
      time: new Date().toISOString(),
      correlationId: currentCorrelationId() ?? randomUUID(),
      ...(causationId ? { causationId } : {}),
      data,
    };
    await manager.insert(OutboxEventEntity, {
      id: envelope.id,
      type,
      subject,
      correlationId: envelope.correlationId,
      envelope,
      occurredAt: new Date(envelope.time),
      publishedAt: null,
      attempts: 0,
    });
    return envelope;
  }
}
