import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { benchDatabase, devToken, Figure, startBuiltApp } from './harness';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 4);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 300_000);
const BATCH = 1000;
const SUBSCRIPTIONS = 1000;

/**
 * A 1,000-event batch as the wire carries it, built as text from pieces made once: only the id
 * prefix and the timestamp change from batch to batch (the generator shares the two cores with the
 * app and PostgreSQL, so it must cost little: formatting every field of every event did).
 */
const BATCH_PIECES: string[] = (() => {
  const pieces = ['{"events":['];
  for (let i = 0; i < BATCH; i++)
    pieces.push(
      `${i === 0 ? '' : ','}{"id":"`,
      '', // the batch's id prefix
      `-${i}","subscriptionId":"sub-${i % SUBSCRIPTIONS}","meterCode":"api_calls","quantity":"${(i % 97) + 1}","timestamp":"`,
      '', // the batch's timestamp
      `","properties":{"region":"eu-west-1","endpoint":"/v1/orders"}}`,
    );
  pieces.push(']}');
  return pieces;
})();

function batchBody(prefix: string, now: string): string {
  const pieces = BATCH_PIECES.slice();
  for (let k = 2; k < pieces.length - 1; k += 5) {
    pieces[k] = prefix;
    pieces[k + 2] = now;
  }
  return pieces.join('');
}

/**
 * Ingestion: 1,000-event batches over HTTP into the built app (its own process), durable (each
 * batch committed) and deduplicated, CONCURRENCY requests in flight for SECONDS; then, in the same
 * run and into the same table, the raw PostgreSQL COPY rate of the same rows: the ceiling.
 */
export async function usageIngestion(): Promise<Figure[]> {
  const db = await benchDatabase();
  const app = await startBuiltApp('process-usage-to-revenue', {
    DATABASE_URL: db.url,
    REVGATE_DATA_DIR: '.revgate/bench',
    OUTBOX_RELAY_ENABLED: 'false',
  });
  try {
    const token = await devToken(app.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const meter = await fetch(`${app.url}/u2r/v1/meters`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        code: 'api_calls',
        name: 'API calls',
        aggregation: 'sum',
        unit: 'calls',
      }),
    });
    if (meter.status !== 201) throw new Error(`meter: ${meter.status} ${await meter.text()}`);

    let sent = 0;
    let accepted = 0;
    const post = async (stopAt: number, count: boolean): Promise<void> => {
      while (Date.now() < stopAt) {
        const body = batchBody(`b${process.pid}-${sent++}`, new Date().toISOString());
        const res = await fetch(`${app.url}/u2r/v1/usage-events`, {
          method: 'POST',
          headers,
          body,
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`ingest: ${res.status} ${text.slice(0, 300)}`);
        const answer = JSON.parse(text) as { accepted: number };
        if (answer.accepted !== BATCH)
          throw new Error(`only ${answer.accepted} of a batch accepted`);
        if (count) accepted += answer.accepted;
      }
    };
    // warm-up, then the measured run
    await Promise.all(Array.from({ length: CONCURRENCY }, () => post(Date.now() + 2000, false)));
    const started = process.hrtime.bigint();
    const stopAt = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, () => post(stopAt, true)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const httpRate = accepted / seconds;

    const client = new Client({ connectionString: db.url });
    await client.connect();
    let copySeconds: number;
    try {
      const now = new Date().toISOString();
      const period = now.slice(0, 7);
      const props = '{"region": "eu-west-1", "endpoint": "/v1/orders"}';
      const rows = (function* () {
        for (let i = 0; i < COPY_ROWS; i += 1000) {
          let chunk = '';
          for (let j = i; j < Math.min(i + 1000, COPY_ROWS); j++)
            chunk += `copy-${j}\tusage\t\\N\tsub-${j % SUBSCRIPTIONS}\t\\N\tapi_calls\t${(j % 97) + 1}\t${now}\t${period}\t${period}\ton_time\t${props}\n`;
          yield chunk;
        }
      })();
      const copyStarted = process.hrtime.bigint();
      await pipeline(
        Readable.from(rows),
        client.query(
          copyFrom(
            `copy u2r.usage_events (id, kind, cancels_event_id, subscription_ref, customer_ref, meter_code,
               quantity, occurred_at, period, own_period, disposition, properties) from stdin`,
          ),
        ),
      );
      copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    } finally {
      await client.end();
    }
    const copyRate = COPY_ROWS / copySeconds;
    const ratio = httpRate / copyRate;
    return [
      {
        bench: 'usage ingestion',
        metric: `events/s over HTTP, 1,000-event batches, ${CONCURRENCY} in flight, durable and deduplicated (${accepted} in ${seconds.toFixed(1)} s)`,
        value: httpRate,
        unit: '/s',
        target: '>= 20000',
        met: httpRate >= 20_000,
      },
      {
        bench: 'usage ingestion',
        metric: `ceiling: raw PostgreSQL COPY into the same table, same run (${COPY_ROWS} rows)`,
        value: copyRate,
        unit: '/s',
      },
      {
        bench: 'usage ingestion',
        metric: 'HTTP ÷ COPY',
        value: ratio,
        unit: 'x',
        target: '>= 0.3',
        met: ratio >= 0.3,
      },
    ];
  } finally {
    await app.stop();
    await db.stop();
  }
}
