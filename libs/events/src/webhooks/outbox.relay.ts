import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { insertRows, TransactionHost } from '@revgate/persistence';
import { EventsConfig } from '../events.config';
import { OutboxEventEntity } from '../outbox-event.entity';
import { matchesAny } from './event-type-pattern';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { EVENTS_CONFIG, WebhookDispatcher, type DeliveryStats } from './webhook.dispatcher';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

export interface RelayStats extends DeliveryStats {
  /** Outbox events fanned out (marked published) in this cycle. */
  events: number;
  /** Deliveries those events made. */
  deliveriesCreated: number;
}

interface PendingEvent {
  id: string;
  type: string;
  occurred_at: Date;
}

interface Subscriber {
  id: string;
  event_types: string[];
  created_at: Date;
}

/**
 * The outbox relay of a producing app. Each cycle fans unpublished outbox events out — one delivery
 * per subscription that wants the type, inserted in the transaction that marks the events published,
 * with rows taken FOR UPDATE SKIP LOCKED so any number of processes can relay at once and each event
 * is fanned out once — and then sends the deliveries that are due. Runs in the background unless
 * OUTBOX_RELAY_ENABLED=false; `runOnce()` runs one cycle on demand (tests, tools).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private cycle?: Promise<void>;

  constructor(
    private readonly tx: TransactionHost,
    @Inject(EVENTS_CONFIG) private readonly config: EventsConfig,
    private readonly dispatcher: WebhookDispatcher,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxRelay.name);
  }

  onApplicationBootstrap(): void {
    if (this.config.OUTBOX_RELAY_ENABLED) this.schedule(0);
  }

  /** Stops the background cycles and waits for the one running (its sends are cut short). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.cycle;
  }

  /** One cycle: fan out every unpublished event, then send every delivery due at `now`. */
  async runOnce(options: { now?: Date } = {}): Promise<RelayStats> {
    const now = options.now ?? new Date();
    let events = 0;
    let deliveriesCreated = 0;
    for (;;) {
      const batch = await this.fanOut(now);
      events += batch.events;
      deliveriesCreated += batch.deliveries;
      if (batch.events < this.config.OUTBOX_RELAY_BATCH_SIZE || this.stopping.signal.aborted) break;
    }
    const sent = await this.dispatcher.deliverDue(now, this.stopping.signal);
    return { events, deliveriesCreated, ...sent };
  }

  /** Fans out one batch of unpublished events, in one transaction. */
  async fanOut(now: Date = new Date()): Promise<{ events: number; deliveries: number }> {
    const outbox = this.tx.dataSource.getMetadata(OutboxEventEntity).tablePath;
    const subscriptions = this.tx.dataSource.getMetadata(WebhookSubscriptionEntity).tablePath;
    return this.tx.run(async () => {
      const manager = this.tx.manager;
      const events = await manager.query<PendingEvent[]>(
        `select id, type, occurred_at from ${outbox}
          where published_at is null
          order by occurred_at, id
          limit $1
          for update skip locked`,
        [this.config.OUTBOX_RELAY_BATCH_SIZE],
      );
      if (events.length === 0) return { events: 0, deliveries: 0 };
      const subscribers = await manager.query<Subscriber[]>(
        `select id, event_types, created_at from ${subscriptions} where enabled and deleted_at is null`,
      );
      const deliveries: Partial<WebhookDeliveryEntity>[] = [];
      for (const event of events) {
        for (const s of subscribers) {
          // A subscription gets the events that happen after it is created; older ones by replay.
          if (s.created_at.getTime() > event.occurred_at.getTime()) continue;
          if (!matchesAny(s.event_types, event.type)) continue;
          deliveries.push({
            id: randomUUID(),
            subscriptionId: s.id,
            eventId: event.id,
            eventType: event.type,
            status: 'pending',
            origin: 'relay',
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
            updatedAt: now,
          });
        }
      }
      await insertRows(manager, WebhookDeliveryEntity, deliveries);
      await manager.query(`update ${outbox} set published_at = $2 where id = any($1)`, [
        events.map((e) => e.id),
        now,
      ]);
      return { events: events.length, deliveries: deliveries.length };
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.cycle = this.runOnce().then(
        (stats) => {
          if (stats.events > 0 || stats.delivered + stats.failed + stats.dead > 0) {
            this.logger.debug(stats, 'relay cycle');
          }
        },
        (e: unknown) => {
          this.logger.warn({ err: e }, 'relay cycle failed; will try again');
        },
      );
      void this.cycle.finally(() => {
        this.cycle = undefined;
        this.schedule(this.config.OUTBOX_RELAY_POLL_MS);
      });
    }, delayMs);
    this.timer.unref();
  }
}
