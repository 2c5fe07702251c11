import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@revgate/platform';
import { TransactionHost } from '@revgate/persistence';
import { OutboxEventEntity } from '../outbox-event.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

export type AttemptOutcome = 'delivered' | 'failed' | 'dead';

/**
 * The relay's figures on /metrics. The lag and the backlog are read from the database when scraped,
 * so they are true whichever process runs the relay (or none).
 */
@Injectable()
export class WebhookMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly attemptDuration: Histogram<'outcome'>;
  readonly deliveryLatency: Histogram;

  constructor(metrics: MetricsService, tx: TransactionHost) {
    const registers = [metrics.registry];
    const outbox = () => tx.dataSource.getMetadata(OutboxEventEntity).tablePath;
    const deliveries = () => tx.dataSource.getMetadata(WebhookDeliveryEntity).tablePath;
    new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest outbox event not yet fanned out (0 when none waits)',
      registers,
      async collect() {
        try {
          const [row] = await tx.dataSource.query<{ lag: string | null }[]>(
            `select extract(epoch from now() - min(occurred_at)) as lag from ${outbox()} where published_at is null`,
          );
          this.set(Math.max(0, Number(row.lag ?? 0)));
        } catch {
          // The database is down: readiness says so; keep the last value rather than fail the scrape.
        }
      },
    });
    new Gauge({
      name: 'webhook_deliveries',
      help: 'Webhook deliveries waiting (pending) or given up (dead)',
      labelNames: ['status'],
      registers,
      async collect() {
        try {
          const rows = await tx.dataSource.query<{ status: string; n: string }[]>(
            `select status, count(*) as n from ${deliveries()} where status in ('pending', 'dead') group by status`,
          );
          for (const status of ['pending', 'dead']) {
            this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
          }
        } catch {
          // as above
        }
      },
    });
    this.attempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered; failed and retried later; dead)',
      labelNames: ['outcome'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'webhook_delivery_attempt_duration_seconds',
      help: 'Time from sending a webhook to its answer (or the timeout)',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'webhook_delivery_latency_seconds',
      help: 'Time from an event to its successful delivery (retries included)',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
      registers,
    });
  }
}
