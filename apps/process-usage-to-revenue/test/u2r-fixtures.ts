import { countRows, expectStatus, type Harness } from '../../../test/support/api-fixtures';
import { http, type JsonResponse } from '../../../test/support/test-app';

export const LEDGER_TABLES = [
  'meters',
  'usage_events',
  'usage_releases',
  'usage_periods',
  'outbox_events',
] as const;

/** Rows of the app's own tables, for "nothing was written" checks. */
export function u2rCounts(t: Harness): Promise<Record<(typeof LEDGER_TABLES)[number], number>> {
  return countRows(t, 'u2r', LEDGER_TABLES);
}

export interface Fate {
  index: number;
  id?: string;
  fate: 'accepted' | 'duplicate' | 'rejected';
  period?: string;
  disposition?: string;
  duplicateOf?: string;
  problem?: { code: string; detail: string; pointer: string };
}
export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  carriedForward: number;
  held: number;
  events: Fate[];
}

/** A client of the app's routes for the tests. */
export class U2r {
  constructor(private readonly t: Harness) {}

  url(path: string): string {
    return `${this.t.url}/u2r/v1/${path}`;
  }

  async defineMeter(
    token: string,
    meter: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const res = await http('POST', this.url('meters'), { token, body: meter });
    expectStatus(res, 201);
    return res.body;
  }

  ingest(token: string, events: unknown[]): Promise<JsonResponse<IngestAnswer>> {
    return http<IngestAnswer>('POST', this.url('usage-events'), { token, body: { events } });
  }

  async ingestOk(token: string, events: unknown[]): Promise<IngestAnswer> {
    const res = await this.ingest(token, events);
    expectStatus(res, 200);
    return res.body;
  }
}

let n = 0;
/** A usage event of `meterCode` for `subscriptionId`, now (or at `timestamp`). */
export function usageEvent(
  subscriptionId: string,
  meterCode: string,
  quantity: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  n += 1;
  return {
    id: `evt-${process.pid}-${Date.now()}-${n}`,
    subscriptionId,
    meterCode,
    quantity,
    timestamp: new Date().toISOString(),
    ...extra,
  };
}
