import { expectStatus } from '../../support/api-fixtures';
import { http } from '../../support/test-app';

export interface ErpGovernance {
  latencyMs?: number;
  ratePerSecond?: number;
  concurrencyLimit?: number;
  maintenanceUntil?: string | null;
}

interface Counters {
  calls: number;
  rejectedMaintenance: number;
  rejectedRate: number;
  rejectedConcurrency: number;
  peakConcurrency: number;
}

/**
 * The ERP sandbox's fault controls (PUT /erp/v1/sandbox/governance: maintenance answers 503, a
 * rate answers 429 with Retry-After, latency), with what the ERP refused summed over every
 * setting (a PUT starts the sandbox's counters afresh, so they are read first).
 */
export class ErpFaults {
  readonly refused = { maintenance: 0, rate: 0, calls: 0, peakConcurrency: 0 };

  constructor(
    private readonly erpUrl: string,
    private readonly token: string,
  ) {}

  private async counters(): Promise<Counters> {
    const res = await http<{ counters: Counters }>(
      'GET',
      `${this.erpUrl}/erp/v1/sandbox/governance`,
      { token: this.token },
    );
    expectStatus(res, 200);
    return res.body.counters;
  }

  private add(c: Counters): void {
    this.refused.maintenance += c.rejectedMaintenance;
    this.refused.rate += c.rejectedRate;
    this.refused.calls += c.calls;
    this.refused.peakConcurrency = Math.max(this.refused.peakConcurrency, c.peakConcurrency);
  }

  /** Calls refused over the rate under the current settings. */
  async rateRefusedNow(): Promise<number> {
    return (await this.counters()).rejectedRate;
  }

  /** Calls refused by the maintenance window under the current settings. */
  async maintenanceRefusedNow(): Promise<number> {
    return (await this.counters()).rejectedMaintenance;
  }

  /** Replaces the ERP's settings (unset ones are off). */
  async set(settings: ErpGovernance): Promise<void> {
    this.add(await this.counters());
    expectStatus(
      await http('PUT', `${this.erpUrl}/erp/v1/sandbox/governance`, {
        token: this.token,
        body: settings,
      }),
      200,
    );
  }

  /** Everything off; answers what the ERP refused since this object began. */
  async clear(): Promise<{ maintenance: number; rate: number; calls: number }> {
    await this.set({});
    return { ...this.refused };
  }
}
