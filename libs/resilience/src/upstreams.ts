import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService, ReadinessRegistry } from '@revgate/platform';
import {
  UpstreamClient,
  type BreakerState,
  type UpstreamObserver,
  type UpstreamOptions,
} from './upstream-client';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * The app's upstream clients, one per upstream name (so one breaker and one budget per target,
 * shared by every caller), and their metrics: attempts by outcome and latency, breaker state
 * (0 closed, 1 half-open, 2 open), budget use (calls in flight and waiting).
 */
@Injectable()
export class Upstreams implements OnApplicationShutdown {
  private readonly clients = new Map<string, UpstreamClient>();
  private readonly observer: UpstreamObserver;
  private readonly budgetLimit: Gauge;

  constructor(metrics: MetricsService, readiness: ReadinessRegistry) {
    const registers = [metrics.registry];
    const attempts = new Counter({
      name: 'upstream_attempts_total',
      help: 'Calls to upstream systems by upstream and outcome (HTTP status, timeout, network, breaker_open, budget_exhausted…)',
      labelNames: ['upstream', 'outcome'],
      registers,
    });
    const latency = new Histogram({
      name: 'upstream_attempt_duration_seconds',
      help: 'Latency of calls to upstream systems',
      labelNames: ['upstream'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const breaker = new Gauge({
      name: 'upstream_breaker_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers,
    });
    const transitions = new Counter({
      name: 'upstream_breaker_transitions_total',
      help: 'Circuit breaker state changes per upstream, by the state it moved to',
      labelNames: ['upstream', 'to'],
      registers,
    });
    const inFlight = new Gauge({
      name: 'upstream_budget_in_flight',
      help: 'Calls in flight to the upstream (its concurrency budget in use)',
      labelNames: ['upstream'],
      registers,
    });
    const queued = new Gauge({
      name: 'upstream_budget_queued',
      help: 'Calls waiting for a turn in the upstream budget',
      labelNames: ['upstream'],
      registers,
    });
    this.budgetLimit = new Gauge({
      name: 'upstream_budget_limit',
      help: 'The concurrency budget of the upstream (calls it may have in flight at once)',
      labelNames: ['upstream'],
      registers,
    });
    this.observer = {
      attempt: (upstream, outcome, seconds) => {
        attempts.inc({ upstream, outcome });
        if (seconds > 0) latency.observe({ upstream }, seconds);
      },
      breaker: (upstream, state, changed) => {
        breaker.set({ upstream }, BREAKER_VALUE[state]);
        if (changed) transitions.inc({ upstream, to: state });
      },
      budget: (upstream, n, q) => {
        inFlight.set({ upstream }, n);
        queued.set({ upstream }, q);
      },
    };
    readiness.registerStatus('upstreams', () =>
      Object.fromEntries(
        [...this.clients.values()].map((c) => [
          c.name,
          { breaker: c.breakerState(), ...c.budgetUse() },
        ]),
      ),
    );
  }

  /** The client of an upstream, made on first use with these options. */
  client(options: UpstreamOptions): UpstreamClient {
    let client = this.clients.get(options.name);
    if (!client) {
      client = new UpstreamClient(options, this.observer);
      this.clients.set(options.name, client);
      if (options.budget)
        this.budgetLimit.set({ upstream: options.name }, options.budget.concurrency);
    }
    return client;
  }

  onApplicationShutdown(): void {
    for (const client of this.clients.values()) client.shutdown();
  }
}
