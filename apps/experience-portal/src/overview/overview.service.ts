import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { visibleTo } from '../access';
import type { q2c } from '@revgate/clients';
import { APP_CONFIG } from '@revgate/platform';
import { API_NAMES, APP_OF, type ApiName, PortalApis, read, readAll } from '../portal-apis';
import type { PortalConfig } from '../portal.config';
import type {
  AgeCount,
  OverviewResponse,
  SourceState,
  UpstreamState,
  UsageToRevenueFlow,
} from './overview.dto';
import { parsePrometheusText, quantile, type Sample } from './prometheus-text';

type Order = q2c.SchemaOrderResponse;
type Exception = q2c.SchemaExceptionResponse;

const HOUR = 3_600_000;
const METRICS = new Set([
  'upstream_breaker_state',
  'upstream_budget_in_flight',
  'upstream_budget_queued',
  'upstream_budget_limit',
  'upstream_attempts_total',
  'outbox_lag_seconds',
  'webhook_deliveries',
]);
const BREAKER = ['closed', 'half_open', 'open'] as const;
const FAILED = /^(5\d\d|429|408|timeout|network|breaker_open|budget_exhausted)$/;

const AGE_BUCKETS: [AgeCount['bucket'], number][] = [
  ['under_1h', HOUR],
  ['1h_to_24h', 24 * HOUR],
  ['1d_to_7d', 7 * 24 * HOUR],
  ['over_7d', Infinity],
];

function stepFinished(order: Order, step: string): number | undefined {
  const at = order.steps.find((s) => s.name === step)?.finishedAt;
  return at ? Date.parse(at) : undefined;
}

/**
 * The overview: throughput per flow, exceptions by code and age, the retry queue, failed syncs,
 * outbox lag, invoice-to-posting latency, breakers and budgets — read from the process APIs and
 * every app's /metrics, kept PORTAL_OVERVIEW_CACHE_SECONDS. A source that does not answer is named
 * in `sources` and the rest is shown.
 */
@Injectable()
export class OverviewService {
  /** Per set of legal entities the callers may see ('*': all). */
  private readonly cache = new Map<string, { at: number; value: OverviewResponse }>();

  constructor(
    private readonly apis: PortalApis,
    @Inject(APP_CONFIG) private readonly config: PortalConfig,
  ) {}

  /**
   * Orders and exceptions count for the legal entities the caller may see; breakers, budgets,
   * outboxes and webhook deliveries are the gateway's own health, shown to every reader.
   */
  async overview(caller: Principal): Promise<OverviewResponse> {
    const entities = caller.legalEntities;
    const key = entities ? [...entities].sort().join(',') : '*';
    const ttl = this.config.PORTAL_OVERVIEW_CACHE_SECONDS * 1000;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < ttl) return hit.value;
    const value = await this.build((le) => visibleTo(caller, le));
    if (this.cache.size > 100) this.cache.clear();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  private async build(visible: (legalEntity?: string) => boolean): Promise<OverviewResponse> {
    const now = Date.now();
    const limit = this.config.PORTAL_SCAN_LIMIT;
    const sources: SourceState[] = [];
    let truncated = false;
    const attempt = async <T>(source: string, work: () => Promise<T>): Promise<T | undefined> => {
      try {
        const value = await work();
        sources.push({ source, ok: true });
        return value;
      } catch (e) {
        sources.push({ source, ok: false, detail: e instanceof Error ? e.message : String(e) });
        return undefined;
      }
    };
    const orders = (status?: 'in_progress' | 'needs_attention', updatedSince?: string) =>
      readAll(
        'q2c',
        (cursor) =>
          this.apis.q2c.GET('/q2c/v1/orders', {
            params: {
              query: {
                limit: 200,
                ...(status ? { status } : {}),
                ...(updatedSince ? { updatedSince } : {}),
                ...(cursor ? { cursor } : {}),
              },
            },
          }),
        limit,
      );
    const period = new Date(now).toISOString().slice(0, 7);
    const [recent, inProgress, attention, open, usage, ...metrics] = await Promise.all([
      attempt('q2c:orders', () => orders(undefined, new Date(now - 24 * HOUR).toISOString())),
      attempt('q2c:orders', () => orders('in_progress')),
      attempt('q2c:orders', () => orders('needs_attention')),
      attempt('q2c:exceptions', () =>
        readAll<Exception>(
          'q2c',
          (cursor) =>
            this.apis.q2c.GET('/q2c/v1/exceptions', {
              params: { query: { status: 'open', limit: 200, ...(cursor ? { cursor } : {}) } },
            }),
          limit,
        ),
      ),
      attempt('u2r:usage', () =>
        read(
          'u2r',
          this.apis.u2r.GET('/u2r/v1/usage-periods/{period}/summary', {
            params: { path: { period } },
          }),
        ),
      ),
      ...API_NAMES.map((api) =>
        attempt(`${api}:metrics`, async () => ({
          api,
          samples: parsePrometheusText(await this.apis.metrics(api), METRICS),
        })),
      ),
    ]);
    truncated = [recent, inProgress, attention, open].some((r) => r?.truncated === true);

    // Quote-to-cash throughput and the invoice-to-posting latency of the last 24 hours.
    const completed = (recent?.items ?? []).filter(
      (o) =>
        visible(o.legalEntity) &&
        o.status === 'completed' &&
        o.completedAt &&
        now - Date.parse(o.completedAt) <= 24 * HOUR,
    );
    const firstHour = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
    const perHour = Array.from({ length: 24 }, (_, i) => ({
      hour: new Date(firstHour + i * HOUR).toISOString(),
      count: 0,
    }));
    for (const o of completed) {
      const i = Math.floor((Date.parse(o.completedAt ?? '') - firstHour) / HOUR);
      if (i >= 0 && i < perHour.length) perHour[i].count += 1;
    }
    const latencies = completed
      .map((o) => {
        const finalized = stepFinished(o, 'await_invoice_finalized');
        const posted = stepFinished(o, 'post_receivable');
        return finalized !== undefined && posted !== undefined
          ? Math.max(0, (posted - finalized) / 1000)
          : undefined;
      })
      .filter((s): s is number => s !== undefined)
      .sort((a, b) => a - b);

    // Open exceptions by code and age; transient ones are the retry queue.
    const openItems = (open?.items ?? []).filter((e) => visible(e.legalEntity));
    const byCode = new Map<string, number>();
    for (const e of openItems) byCode.set(e.code, (byCode.get(e.code) ?? 0) + 1);
    const byAge = AGE_BUCKETS.map(([bucket]) => ({ bucket, count: 0 }));
    for (const e of openItems) {
      const age = now - Date.parse(e.raisedAt);
      const i = AGE_BUCKETS.findIndex(([, max]) => age < max);
      if (i >= 0) byAge[i].count += 1;
    }

    // Metrics: breakers and budgets of the callers, outbox lag and webhook deliveries of all.
    const scraped = metrics.filter(
      (m): m is { api: ApiName; samples: Sample[] } => m !== undefined,
    );
    const sum = (name: string, status: string): number =>
      scraped
        .flatMap((m) => m.samples)
        .filter((s) => s.name === name && s.labels.status === status)
        .reduce((a, s) => a + s.value, 0);
    const upstreams: UpstreamState[] = [];
    for (const { api, samples } of scraped) {
      const of = (name: string, upstream: string): number =>
        samples
          .filter((s) => s.name === name && s.labels.upstream === upstream)
          .reduce((a, s) => a + s.value, 0);
      const names = new Set(
        samples
          .filter((s) => s.name === 'upstream_breaker_state')
          .map((s) => s.labels.upstream ?? ''),
      );
      for (const upstream of [...names].sort()) {
        const attempts = samples.filter(
          (s) => s.name === 'upstream_attempts_total' && s.labels.upstream === upstream,
        );
        const budget = samples.find(
          (s) => s.name === 'upstream_budget_limit' && s.labels.upstream === upstream,
        );
        upstreams.push({
          app: APP_OF[api],
          upstream,
          breaker: BREAKER[of('upstream_breaker_state', upstream)] ?? 'open',
          inFlight: of('upstream_budget_in_flight', upstream),
          queued: of('upstream_budget_queued', upstream),
          ...(budget ? { budget: budget.value } : {}),
          calls: attempts.reduce((a, s) => a + s.value, 0),
          failures: attempts
            .filter((s) => FAILED.test(s.labels.outcome ?? ''))
            .reduce((a, s) => a + s.value, 0),
        });
      }
    }

    const usageFlow: UsageToRevenueFlow | undefined = usage
      ? {
          period,
          eventsThisPeriod: usage.meters.reduce((a, m) => a + m.events, 0),
          meters: usage.meters.map((m) => ({
            meterCode: m.meterCode,
            events: m.events,
            quantity: m.quantity,
          })),
        }
      : undefined;

    // One entry per source name (the three order reads share one).
    const seen = new Map<string, SourceState>();
    for (const s of sources) if (!seen.has(s.source) || !s.ok) seen.set(s.source, s);

    return {
      generatedAt: new Date(now).toISOString(),
      quoteToCash: {
        completedLast24h: completed.length,
        completedPerHour: perHour,
        inProgress: inProgress?.items.filter((o) => visible(o.legalEntity)).length ?? 0,
        needsAttention: attention?.items.filter((o) => visible(o.legalEntity)).length ?? 0,
      },
      ...(usageFlow ? { usageToRevenue: usageFlow } : {}),
      exceptions: {
        open: openItems.length,
        byCode: [...byCode.entries()]
          .map(([code, count]) => ({ code, count }))
          .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        byAge,
      },
      retryQueue: {
        workWaitingToRetry: openItems.filter((e) => e.transient).length,
        webhookDeliveriesPending: sum('webhook_deliveries', 'pending'),
      },
      failedSyncs: {
        waitingForOperator: openItems.filter((e) => !e.transient).length,
        webhookDeliveriesDead: sum('webhook_deliveries', 'dead'),
      },
      outbox: scraped
        .filter((m) => m.samples.some((s) => s.name === 'outbox_lag_seconds'))
        .map((m) => ({
          app: APP_OF[m.api],
          outboxLagSeconds: m.samples
            .filter((s) => s.name === 'outbox_lag_seconds')
            .reduce((a, s) => Math.max(a, s.value), 0),
        })),
      invoiceToPosting: {
        orders: latencies.length,
        ...(latencies.length > 0
          ? { p50Seconds: quantile(latencies, 0.5), p95Seconds: quantile(latencies, 0.95) }
          : {}),
      },
      upstreams,
      sources: [...seen.values()].sort((a, b) => a.source.localeCompare(b.source)),
      truncated,
    };
  }
}
