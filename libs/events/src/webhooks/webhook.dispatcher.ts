import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CORRELATION_HEADER } from '@revgate/platform';
import { TransactionHost } from '@revgate/persistence';
import { EventsConfig } from '../events.config';
import { OutboxEventEntity } from '../outbox-event.entity';
import { nextAttemptAt, parseRetryAfter, type RetryPolicy } from './retry-policy';
import { SecretVault } from './secret-vault';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import {
  DELIVERY_ID_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
} from './webhook-signature';
import { WebhookMetrics } from './webhook.metrics';
import { WebhookSender, type WebhookResult } from './webhook.sender';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export const EVENTS_CONFIG = Symbol('EVENTS_CONFIG');

export interface DeliveryStats {
  delivered: number;
  failed: number;
  dead: number;
}

interface Claimed {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  attempts: number;
  origin: string;
}

interface Target {
  id: string;
  url: string;
  secret_sealed: string | null;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

interface StoredEvent {
  id: string;
  correlation_id: string;
  occurred_at: Date;
  body: string;
}

/** A claimed delivery is someone's for this long past its timeout; after that, a crash is assumed. */
const LEASE_MARGIN_MS = 60_000;

/**
 * Sends due deliveries: claims a batch (FOR UPDATE SKIP LOCKED, so several processes share the
 * work), sends each outside any transaction, and records the outcome — delivered on 2xx; anything
 * else retried with backoff (or as the receiver's Retry-After asks) until the attempts run out.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly policy: RetryPolicy;

  constructor(
    private readonly tx: TransactionHost,
    @Inject(EVENTS_CONFIG) private readonly config: EventsConfig,
    private readonly vault: SecretVault,
    private readonly sender: WebhookSender,
    private readonly metrics: WebhookMetrics,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WebhookDispatcher.name);
    this.policy = {
      baseSeconds: config.WEBHOOK_RETRY_BASE_SECONDS,
      maxDelaySeconds: config.WEBHOOK_RETRY_MAX_DELAY_SECONDS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    };
  }

  private table(
    entity:
      typeof OutboxEventEntity | typeof WebhookDeliveryEntity | typeof WebhookSubscriptionEntity,
  ): string {
    return this.tx.dataSource.getMetadata(entity).tablePath;
  }

  /** Sends every delivery due at `now`, a batch at a time, until none is left or `stop` fires. */
  async deliverDue(now: Date, stop: AbortSignal): Promise<DeliveryStats> {
    const stats: DeliveryStats = { delivered: 0, failed: 0, dead: 0 };
    while (!stop.aborted) {
      const claimed = await this.claim(now);
      if (claimed.length === 0) break;
      const [targets, events] = await Promise.all([
        this.targets(claimed.map((c) => c.subscription_id)),
        this.events(claimed.map((c) => c.event_id)),
      ]);
      const outcomes = await Promise.all(
        claimed.map((delivery) =>
          this.attempt(
            delivery,
            targets.get(delivery.subscription_id),
            events.get(delivery.event_id),
            now,
            stop,
          ),
        ),
      );
      for (const outcome of outcomes) if (outcome) stats[outcome] += 1;
    }
    return stats;
  }

  private async claim(now: Date): Promise<Claimed[]> {
    const leaseUntil = new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS);
    const deliveries = this.table(WebhookDeliveryEntity);
    const subscriptions = this.table(WebhookSubscriptionEntity);
    const [rows] = await this.tx.dataSource.query<[Claimed[], number]>(
      `with due as (
         select d.id from ${deliveries} d
         join ${subscriptions} s on s.id = d.subscription_id
         where d.status = 'pending' and d.next_attempt_at <= $1
           and s.enabled and s.deleted_at is null
         order by d.next_attempt_at, d.id
         limit $2
         for update of d skip locked
       )
       update ${deliveries} d
          set attempts = d.attempts + 1, next_attempt_at = $3, last_attempt_at = $1, updated_at = $1
         from due where d.id = due.id
       returning d.id, d.subscription_id, d.event_id, d.event_type, d.attempts, d.origin`,
      [now, this.config.WEBHOOK_DELIVERY_CONCURRENCY, leaseUntil],
    );
    return rows;
  }

  private async targets(ids: string[]): Promise<Map<string, Target>> {
    const rows = await this.tx.dataSource.query<Target[]>(
      `select id, url, secret_sealed, previous_secret_sealed, previous_secret_expires_at
         from ${this.table(WebhookSubscriptionEntity)} where id = any($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async events(ids: string[]): Promise<Map<string, StoredEvent>> {
    // The envelope exactly as stored, as text: these are the bytes that are signed and sent.
    const rows = await this.tx.dataSource.query<StoredEvent[]>(
      `select id, correlation_id, occurred_at, envelope::text as body
         from ${this.table(OutboxEventEntity)} where id = any($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The secrets to sign with: the current one, and a rotated-out one still in its grace period. */
  private secrets(target: Target, now: Date): string[] {
    if (target.secret_sealed === null) throw new Error('the subscription has been deleted');
    const secrets = [this.vault.open(target.secret_sealed, target.id)];
    if (
      target.previous_secret_sealed !== null &&
      target.previous_secret_expires_at !== null &&
      target.previous_secret_expires_at.getTime() > now.getTime()
    ) {
      secrets.push(this.vault.open(target.previous_secret_sealed, target.id));
    }
    return secrets;
  }

  private async attempt(
    delivery: Claimed,
    target: Target | undefined,
    event: StoredEvent | undefined,
    now: Date,
    stop: AbortSignal,
  ): Promise<keyof DeliveryStats | undefined> {
    let result: WebhookResult;
    try {
      result = await this.send(delivery, target, event, now, stop);
    } catch (e) {
      result = { error: e instanceof Error ? e.message : String(e), durationMs: 0 };
    }
    return this.record(delivery, event, result, now);
  }

  private async send(
    delivery: Claimed,
    target: Target | undefined,
    event: StoredEvent | undefined,
    now: Date,
    stop: AbortSignal,
  ): Promise<WebhookResult> {
    if (!target || !event) {
      return { error: 'the subscription or the event no longer exists', durationMs: 0 };
    }
    let secrets: string[];
    try {
      secrets = this.secrets(target, now);
    } catch (e) {
      return { error: `cannot sign: ${e instanceof Error ? e.message : String(e)}`, durationMs: 0 };
    }
    const body = Buffer.from(event.body, 'utf8');
    const timestamp = Math.floor(now.getTime() / 1000);
    return this.sender.send(
      {
        url: target.url,
        body,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Revgate-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(body, secrets, timestamp),
          [EVENT_ID_HEADER]: event.id,
          [EVENT_TYPE_HEADER]: delivery.event_type,
          [DELIVERY_ID_HEADER]: delivery.id,
          [CORRELATION_HEADER]: event.correlation_id,
        },
      },
      stop,
    );
  }

  private async record(
    delivery: Claimed,
    event: StoredEvent | undefined,
    result: WebhookResult,
    now: Date,
  ): Promise<keyof DeliveryStats | undefined> {
    const table = this.table(WebhookDeliveryEntity);
    const at = new Date(now.getTime() + result.durationMs);
    const claim = [delivery.id, delivery.attempts];
    const log = {
      deliveryId: delivery.id,
      eventId: delivery.event_id,
      eventType: delivery.event_type,
      subscriptionId: delivery.subscription_id,
      attempt: delivery.attempts,
      status: result.status,
      correlationId: event?.correlation_id,
    };
    if (result.interrupted) {
      // Not the receiver's doing: give the attempt back, due again at once.
      await this.tx.dataSource.query(
        `update ${table} set attempts = attempts - 1, next_attempt_at = $3, updated_at = $3
          where id = $1 and attempts = $2 and status = 'pending'`,
        [...claim, now],
      );
      return undefined;
    }
    const seconds = result.durationMs / 1000;
    if (result.error === undefined) {
      await this.tx.dataSource.query(
        `update ${table} set status = 'delivered', delivered_at = $3, next_attempt_at = null,
                last_status_code = $4, last_error = null, updated_at = $3
          where id = $1 and attempts = $2 and status = 'pending'`,
        [...claim, at, result.status ?? null],
      );
      this.metrics.attempts.inc({ outcome: 'delivered' });
      this.metrics.attemptDuration.observe({ outcome: 'delivered' }, seconds);
      if (event && delivery.origin === 'relay') {
        this.metrics.deliveryLatency.observe(
          Math.max(0, (at.getTime() - event.occurred_at.getTime()) / 1000),
        );
      }
      this.logger.debug(log, 'webhook delivered');
      return 'delivered';
    }
    const retryAfter = parseRetryAfter(result.retryAfter, at);
    const next = nextAttemptAt(at, delivery.attempts, this.policy, retryAfter);
    await this.tx.dataSource.query(
      `update ${table} set status = $3, next_attempt_at = $4, last_status_code = $5,
              last_error = $6, updated_at = $7
        where id = $1 and attempts = $2 and status = 'pending'`,
      [
        ...claim,
        next ? 'pending' : 'dead',
        next ?? null,
        result.status ?? null,
        result.error.slice(0, 1000),
        at,
      ],
    );
    const outcome = next ? 'failed' : 'dead';
    this.metrics.attempts.inc({ outcome });
    this.metrics.attemptDuration.observe({ outcome }, seconds);
    if (next) {
      this.logger.info(
        { ...log, error: result.error, nextAttemptAt: next },
        'webhook attempt failed; will retry',
      );
    } else {
      this.logger.warn(
        { ...log, error: result.error },
        'webhook delivery dead after its last attempt',
      );
    }
    return outcome;
  }
}
