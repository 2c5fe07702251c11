import { ErpError, ErpErrorCode } from '../../erp-error-code';

/**
 * How the sandbox ERP governs its callers, as NetSuite does: a concurrency budget (requests past
 * it are refused with 429 and Retry-After, never queued), a rate (a token bucket holding one
 * second's worth), injected latency and faults, and a maintenance window (503 with Retry-After).
 * 0 turns a limit off.
 */
export interface GovernanceSettings {
  /** Calls in flight at once; 0: no limit. */
  concurrencyLimit: number;
  /** Calls per second (a bucket of this many tokens, refilled continuously); 0: no limit. */
  ratePerSecond: number;
  /** Added to every admitted call, before it runs. */
  latencyMs: number;
  /** Share of admitted calls that fail after their latency, drawn from a generator seeded with faultSeed. */
  faultRate: number;
  faultSeed: number;
  /** The next this many admitted calls fail, whatever the rate. */
  failNext: number;
  /** error: the ERP's own failure (502 ERP_PROVIDER_ERROR); unavailable: 503 ERP_UNAVAILABLE. */
  faultKind: 'error' | 'unavailable';
  /** Until this instant every call is refused with 503 ERP_UNAVAILABLE and Retry-After. */
  maintenanceUntil: Date | null;
}

export interface GovernanceCounters {
  /** Every call that reached the ERP, refused or not. */
  calls: number;
  /** Calls admitted past the limits (they ran, or failed with an injected fault). */
  admitted: number;
  inFlight: number;
  /** The most calls in flight at once since the counters were reset. */
  peakConcurrency: number;
  rejectedConcurrency: number;
  rejectedRate: number;
  rejectedMaintenance: number;
  faultsInjected: number;
  /** Calls seen, by port operation. */
  byOperation: Record<string, number>;
}

export const GOVERNANCE_OFF: GovernanceSettings = {
  concurrencyLimit: 0,
  ratePerSecond: 0,
  latencyMs: 0,
  faultRate: 0,
  faultSeed: 1,
  failNext: 0,
  faultKind: 'error',
  maintenanceUntil: null,
};

/** mulberry32: a small seeded generator, so that a fault rate fails the same calls every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** The governor of one sandbox ERP (one per process, as an ERP account is shared by its callers). */
export class SandboxGovernance {
  private current: GovernanceSettings = { ...GOVERNANCE_OFF };
  private tally: GovernanceCounters = SandboxGovernance.zero();
  private tokens = 0;
  private refilledAt = 0;
  private random: () => number = seeded(GOVERNANCE_OFF.faultSeed);

  constructor(
    defaults: GovernanceSettings = GOVERNANCE_OFF,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.configure(defaults);
  }

  private static zero(): GovernanceCounters {
    return {
      calls: 0,
      admitted: 0,
      inFlight: 0,
      peakConcurrency: 0,
      rejectedConcurrency: 0,
      rejectedRate: 0,
      rejectedMaintenance: 0,
      faultsInjected: 0,
      byOperation: {},
    };
  }

  get settings(): GovernanceSettings {
    return { ...this.current };
  }

  get counters(): GovernanceCounters {
    return { ...this.tally, byOperation: { ...this.tally.byOperation } };
  }

  /** Replaces the settings and starts the counters (and the rate's bucket) afresh. */
  configure(settings: GovernanceSettings): void {
    this.current = { ...settings };
    const inFlight = this.tally.inFlight;
    this.tally = { ...SandboxGovernance.zero(), inFlight, peakConcurrency: inFlight };
    this.tokens = settings.ratePerSecond;
    this.refilledAt = this.clock();
    this.random = seeded(settings.faultSeed);
  }

  /** Runs one call of `operation` under the limits, or refuses it. */
  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const s = this.current;
    const t = this.tally;
    t.calls += 1;
    t.byOperation[operation] = (t.byOperation[operation] ?? 0) + 1;
    const untilMs = s.maintenanceUntil ? s.maintenanceUntil.getTime() - Date.now() : 0;
    if (untilMs > 0) {
      t.rejectedMaintenance += 1;
      throw new ErpError(
        ErpErrorCode.UNAVAILABLE,
        `The ERP is in maintenance until ${s.maintenanceUntil?.toISOString() ?? ''}; nothing was posted.`,
        { retryAfterSeconds: untilMs / 1000 },
      );
    }
    if (s.concurrencyLimit > 0 && t.inFlight >= s.concurrencyLimit) {
      t.rejectedConcurrency += 1;
      throw new ErpError(
        ErpErrorCode.CONCURRENCY_LIMITED,
        `The ERP refuses more than ${s.concurrencyLimit} concurrent requests; nothing was posted. Retry after Retry-After.`,
        { retryAfterSeconds: 1 },
      );
    }
    if (s.ratePerSecond > 0) {
      const now = this.clock();
      this.tokens = Math.min(
        s.ratePerSecond,
        this.tokens + ((now - this.refilledAt) / 1000) * s.ratePerSecond,
      );
      this.refilledAt = now;
      if (this.tokens < 1) {
        t.rejectedRate += 1;
        throw new ErpError(
          ErpErrorCode.RATE_LIMITED,
          `The ERP takes at most ${s.ratePerSecond} requests a second; nothing was posted. Retry after Retry-After.`,
          { retryAfterSeconds: (1 - this.tokens) / s.ratePerSecond },
        );
      }
      this.tokens -= 1;
    }
    t.admitted += 1;
    t.inFlight += 1;
    t.peakConcurrency = Math.max(t.peakConcurrency, t.inFlight);
    try {
      if (s.latencyMs > 0) await sleep(s.latencyMs);
      if (this.current.failNext > 0 || (s.faultRate > 0 && this.random() < s.faultRate)) {
        if (this.current.failNext > 0) this.current.failNext -= 1;
        t.faultsInjected += 1;
        throw s.faultKind === 'unavailable'
          ? new ErpError(
              ErpErrorCode.UNAVAILABLE,
              'The ERP answered 503 Service Unavailable; nothing was posted.',
              { retryAfterSeconds: 1 },
            )
          : new ErpError(
              ErpErrorCode.PROVIDER_ERROR,
              'The ERP failed with an internal error; nothing was posted.',
            );
      }
      return await work();
    } finally {
      // this.tally, not t: configure() carries the calls in flight over to the new counters
      this.tally.inFlight -= 1;
    }
  }
}

/**
 * The provider with every call of its methods run through the governor: what the ERP sees is
 * counted and limited whatever the operation.
 */
export function governed<T extends object>(target: T, governance: SandboxGovernance): T {
  return new Proxy(target, {
    get(object, property, receiver): unknown {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => governance.run(property, () => method.apply(object, args));
    },
  });
}
