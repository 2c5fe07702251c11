import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { EventEnvelope } from '@revgate/canonical';
import { TransactionHost } from '@revgate/persistence';
import { ApiError } from '@revgate/platform';
import { EventsErrorCode } from '../events-error-code';
import {
  DEFAULT_TOLERANCE_SECONDS,
  verifyWebhookSignature,
  WebhookSignatureError,
} from '../webhooks/webhook-signature';
import { InboxEventEntity } from './inbox-event.entity';

export type InboxOutcome<R> = { outcome: 'processed'; result: R } | { outcome: 'duplicate' };

export interface InboxOptions {
  /**
   * How long to wait for another delivery of the same event that is being processed right now
   * (its transaction holds the id); past it, 409 INBOX_EVENT_IN_PROGRESS so the sender retries.
   */
  waitMs?: number;
  receivedAt?: Date;
}

export interface SignedDelivery {
  /** The bytes received, before JSON parsing (`request.rawBody` in every Revgate app). */
  rawBody: Buffer | string | undefined;
  /** The Revgate-Signature header. */
  signature: string | undefined;
}

export interface VerifyOptions extends InboxOptions {
  /** The subscription's secret; two while it is being rotated. */
  secrets: readonly string[];
  toleranceSeconds?: number;
  now?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCK_NOT_AVAILABLE = '55P03';

function malformed(detail: string): ApiError {
  return new ApiError(400, EventsErrorCode.WEBHOOK_EVENT_MALFORMED, detail);
}

/** The canonical envelope of a verified body, or a 400 WEBHOOK_EVENT_MALFORMED. */
export function parseEnvelope(rawBody: Buffer | string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    throw malformed('The body is not JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformed('The body is not an event envelope object.');
  }
  const e = value as Record<string, unknown>;
  const missing = ['id', 'type', 'source', 'subject', 'time', 'correlationId'].filter(
    (k) => typeof e[k] !== 'string' || e[k] === '',
  );
  if (missing.length > 0 || !('data' in e)) {
    throw malformed(
      `The envelope lacks ${[...missing, ...('data' in e ? [] : ['data'])].join(', ')}.`,
    );
  }
  if (!UUID.test(e.id as string)) throw malformed('The envelope id is not a UUID.');
  if (Number.isNaN(Date.parse(e.time as string)))
    throw malformed('The envelope time is not a date-time.');
  return value as EventEnvelope;
}

/**
 * The consumer side of events: each event id has its effect at most once. The id is recorded in the
 * same database transaction as the handler's writes, so a duplicate delivery — or a retry after a
 * lost answer — finds it and does nothing, and a handler that fails records nothing (the sender
 * retries). Two deliveries of one event at the same moment: the second waits on the first's row and
 * then sees it (or, past `waitMs`, is refused with 409 and retried later).
 *
 * Order is not guaranteed (retries overtake), so a handler compares the envelope's `time` (or a
 * version in `data`) with what it already holds and ignores what is older.
 */
@Injectable()
export class InboxService {
  constructor(private readonly tx: TransactionHost) {}

  /** Verifies the signature, parses the envelope and processes it once. */
  async receive<R>(
    delivery: SignedDelivery,
    options: VerifyOptions,
    handler: (event: EventEnvelope) => Promise<R>,
  ): Promise<InboxOutcome<R> & { event: EventEnvelope }> {
    if (delivery.rawBody === undefined) throw malformed('The request has no JSON body.');
    try {
      verifyWebhookSignature(
        delivery.rawBody,
        delivery.signature,
        options.secrets,
        options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
        options.now,
      );
    } catch (e) {
      if (e instanceof WebhookSignatureError) throw new ApiError(400, e.code, e.message);
      throw e;
    }
    const event = parseEnvelope(delivery.rawBody);
    return { ...(await this.processOnce(event, handler, options)), event };
  }

  /** Runs `handler` for the event unless its id was processed already; both in one transaction. */
  async processOnce<R>(
    event: EventEnvelope,
    handler: (event: EventEnvelope) => Promise<R>,
    options: InboxOptions = {},
  ): Promise<InboxOutcome<R>> {
    const inbox = this.tx.dataSource.getMetadata(InboxEventEntity).tablePath;
    return this.tx.run(async () => {
      const manager = this.tx.manager;
      const [setting] = await manager.query<{ previous: string }[]>(
        `select current_setting('lock_timeout') as previous, set_config('lock_timeout', $1, true)`,
        [`${Math.max(1, Math.round(options.waitMs ?? 10_000))}ms`],
      );
      let inserted: unknown[];
      try {
        inserted = await manager.query<unknown[]>(
          `insert into ${inbox} (event_id, source, type, subject, occurred_at, correlation_id, received_at, processed_at)
           values ($1, $2, $3, $4, $5, $6, $7, clock_timestamp())
           on conflict (event_id) do nothing
           returning event_id`,
          [
            event.id,
            event.source.slice(0, 200),
            event.type.slice(0, 200),
            event.subject.slice(0, 200),
            event.time,
            event.correlationId.slice(0, 128),
            options.receivedAt ?? new Date(),
          ],
        );
      } catch (e) {
        const code =
          e instanceof QueryFailedError ? (e.driverError as { code?: string }).code : undefined;
        if (code === LOCK_NOT_AVAILABLE) {
          throw new ApiError(
            409,
            EventsErrorCode.INBOX_EVENT_IN_PROGRESS,
            `Event ${event.id} is being processed by another delivery right now; retry shortly.`,
            {},
            { 'retry-after': '1' },
          );
        }
        throw e;
      }
      // The wait applies to the id only, not to whatever the handler locks.
      await manager.query(`select set_config('lock_timeout', $1, true)`, [setting.previous]);
      if (inserted.length === 0) return { outcome: 'duplicate' };
      return { outcome: 'processed', result: await handler(event) };
    });
  }
}
