import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_NAME, currentCorrelationId } from '@revgate/platform';
import { insertRows, TransactionHost } from '@revgate/persistence';
import { EventEnvelope } from '@revgate/canonical';
import { OutboxEventEntity } from './outbox-event.entity';

/** An event to append: its versioned type, the id of what it is about, and its data. */
export interface NewEvent<T> {
  type: string;
  subject: string;
  data: T;
  causationId?: string;
  /**
   * The event's id, when the caller makes it (from a business key): appending the same id again
   * writes nothing, so a step repeated after a crash emits its event once.
   */
  id?: string;
}

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
    const [envelope] = await this.appendMany([
      { type, subject, data, ...(causationId ? { causationId } : {}) },
    ]);
    return envelope;
  }

  /** Appends several events with as few statements as the database allows, in order. */
  async appendMany<T>(events: readonly NewEvent<T>[]): Promise<EventEnvelope<T>[]> {
    const manager = this.tx.manager;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'OutboxWriter must run inside TransactionHost.run so the events commit with their change',
      );
    }
    const correlationId = currentCorrelationId() ?? randomUUID();
    const time = new Date();
    const envelopes = events.map((e): EventEnvelope<T> => ({
      id: e.id ?? randomUUID(),
      type: e.type,
      source: `revgate/${this.appName}`,
      subject: e.subject,
      time: time.toISOString(),
      correlationId,
      ...(e.causationId ? { causationId: e.causationId } : {}),
      data: e.data,
    }));
    await insertRows(
      manager,
      OutboxEventEntity,
      envelopes.map((envelope) => ({
        id: envelope.id,
        type: envelope.type,
        subject: envelope.subject,
        correlationId: envelope.correlationId,
        envelope,
        occurredAt: time,
        publishedAt: null,
        attempts: 0,
      })),
      { skipDuplicates: events.some((e) => e.id !== undefined) },
    );
    return envelopes;
  }
}
