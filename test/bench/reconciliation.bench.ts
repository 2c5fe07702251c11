import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { benchDatabase, devToken, Figure, startBuiltApp } from './harness';

const EVENTS = Number(process.env.BENCH_RECON_EVENTS ?? 1_000_000);
const SUBSCRIPTIONS = 10_000;

/**
 * Reconciliation of a period with EVENTS usage events (10,000 subscriptions): the ledger is filled
 * with COPY (the ingestion benchmark measures the API), then GET /reconciliation is timed over HTTP
 * against the built app.
 */
export async function reconciliation(): Promise<Figure[]> {
  const db = await benchDatabase();
  const app = await startBuiltApp('process-usage-to-revenue', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
    OUTBOX_RELAY_ENABLED: 'false',
  });
  try {
    const token = await devToken(app.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${app.url}/u2r/v1/meters`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        code: 'api_calls',
        name: 'API calls',
        aggregation: 'sum',
        unit: 'calls',
      }),
    });
    const period = '2026-01';
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = (function* () {
        for (let i = 0; i < EVENTS; i += 5000) {
          let chunk = '';
          for (let j = i; j < Math.min(i + 5000, EVENTS); j++)
            chunk += `r-${j}\tusage\t\\N\tsub-${j % SUBSCRIPTIONS}\t\\N\tapi_calls\t${(j % 97) + 1}\t2026-01-15T10:00:00Z\t${period}\t${period}\ton_time\t\\N\n`;
          yield chunk;
        }
      })();
      await pipeline(
        Readable.from(rows),
        client.query(
          copyFrom(
            `copy u2r.usage_events (id, kind, cancels_event_id, subscription_ref, customer_ref, meter_code,
               quantity, occurred_at, period, own_period, disposition, properties) from stdin`,
          ),
        ),
      );
      await client.query('analyze u2r.usage_events');
    } finally {
      await client.end();
    }
    const started = process.hrtime.bigint();
    const res = await fetch(`${app.url}/u2r/v1/reconciliation?period=${period}`, { headers });
    const body = (await res.json()) as { eventsIngested: number; rows: number };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.status !== 200 || body.eventsIngested !== EVENTS)
      throw new Error(
        `reconciliation answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    return [
      {
        bench: 'reconciliation',
        metric: `seconds to reconcile a period of ${EVENTS} events (${body.rows} customer-meter rows), over HTTP`,
        value: seconds,
        unit: 's',
        target: '< 5',
        met: seconds < 5,
      },
    ];
  } finally {
    await app.stop();
    await db.stop();
  }
}
