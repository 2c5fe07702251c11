import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Agent, request } from 'node:http';
import { benchDatabase, devToken, Figure, startBuiltApp } from './harness';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 4);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 300_000);
const BATCH = 1000;
const SUBSCRIPTIONS = 1000;

/** A batch's id prefix and timestamp have a fixed width: a batch is the template, a few bytes changed. */
const PREFIX_WIDTH = 16;
const STAMP_WIDTH = 24; // Date#toISOString()

/**
 * A 1,000-event batch as the wire carries it, made once as bytes: each batch copies it and writes
 * its id prefix and timestamp in place. The generator shares the two cores with the app and
 * PostgreSQL, so it must cost little: formatting every field of every event cost it ~2 ms a batch.
 */
const TEMPLATE = (() => {
  const events: string[] = [];
  for (let i = 0; i < BATCH; i++)
    events.push(
      `{"id":"${'#'.repeat(PREFIX_WIDTH)}-${i}","subscriptionId":"sub-${i % SUBSCRIPTIONS}","meterCode":"api_calls","quantity":"${(i % 97) + 1}","timestamp":"${'@'.repeat(STAMP_WIDTH)}","properties":{"region":"eu-west-1","endpoint":"/v1/orders"}}`,
    );
  const bytes = Buffer.from(`{"events":[${events.join(',')}]}`);
  const offsets = (mark: string): number[] => {
    const found: number[] = [];
    for (let o = bytes.indexOf(mark); o !== -1; o = bytes.indexOf(mark, o + mark.length))
      found.push(o);
    if (found.length !== BATCH) throw new Error(`template: ${found.length} × ${mark}`);
    return found;
  };
  return {
    bytes,
    prefixAt: offsets('#'.repeat(PREFIX_WIDTH)),
    stampAt: offsets('@'.repeat(STAMP_WIDTH)),
  };
})();

/** Batch `n` of this process: ids `b<pid>-<n>-<i>`, every event timestamped `now`. */
function batchBody(n: number, now: string): Buffer {
  const head = `b${process.pid}-`;
  const prefix = head + String(n).padStart(PREFIX_WIDTH - head.length, '0');
  if (prefix.length !== PREFIX_WIDTH || now.length !== STAMP_WIDTH)
    throw new Error(`batch ${n}: ${prefix} ${now}`);
  const body = Buffer.from(TEMPLATE.bytes);
  for (const o of TEMPLATE.prefixAt) body.write(prefix, o, 'latin1');
  for (const o of TEMPLATE.stampAt) body.write(now, o, 'latin1');
  return body;
}

/** POST over a kept-alive connection with node:http (fetch's web streams cost the generator more). */
function post(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  agent: Agent,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
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
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const send = async (stopAt: number, count: boolean): Promise<void> => {
      while (Date.now() < stopAt) {
        const body = batchBody(sent++, new Date().toISOString());
        const res = await post(`${app.url}/u2r/v1/usage-events`, headers, body, agent);
        if (res.status !== 200) throw new Error(`ingest: ${res.status} ${res.text.slice(0, 300)}`);
        const answer = JSON.parse(res.text) as { accepted: number; events: unknown[] };
        if (answer.accepted !== BATCH || answer.events.length !== BATCH)
          throw new Error(`only ${answer.accepted} of a batch accepted`);
        if (count) accepted += answer.accepted;
      }
    };
    // warm-up, then the measured run
    await Promise.all(Array.from({ length: CONCURRENCY }, () => send(Date.now() + 2000, false)));
    const started = process.hrtime.bigint();
    const stopAt = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, () => send(stopAt, true)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
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
