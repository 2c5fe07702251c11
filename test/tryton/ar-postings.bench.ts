/**
 * AR postings per second into a real Tryton 6.0 through the connector (TrytonLedger.postInvoice:
 * find-or-create by reference, checks, create, post, read back), one after another and with a few
 * in flight. A connector-level figure: the ERP API's own figure adds HTTP and the app around it.
 *
 *   scripts/run-ts.sh test/tryton/ar-postings.bench.ts [count]      (TRYTON_TEST_BACKEND=sqlite|postgresql)
 *
 * trytonArPostings() returns the figures in test/bench's shape, for npm run bench.
 */
import { TrytonLedger } from '../../apps/system-erp/src/providers/tryton/tryton-ledger';
import type { Figure } from '../bench/harness';
import { startTrytonServer, trytonBackend } from './tryton-server';

export async function trytonArPostings(count = 200): Promise<Figure[]> {
  const server = await startTrytonServer();
  try {
    const ledger = new TrytonLedger(server.client(), {
      logger: { warn: () => undefined, log: () => undefined },
    });
    const today = new Date().toISOString().slice(0, 10);
    const run = Date.now().toString(36);
    await ledger.upsertParty('US01', {
      code: `BENCH-${run}`,
      name: 'Bench customer',
      address: { city: 'Austin', country: 'US' },
    });
    await ledger.upsertProduct('US01', {
      code: `BENCH-${run}`,
      name: 'Seat',
      revenueAccount: '4000',
    });
    const post = (n: number): Promise<unknown> =>
      ledger.postInvoice('US01', {
        reference: `BENCH-${run}-${n}`,
        kind: 'invoice',
        partyCode: `BENCH-${run}`,
        currency: 'USD',
        date: today,
        lines: [
          { accountCode: '4000', productCode: `BENCH-${run}`, quantity: '3', amount: '300.00' },
          { accountCode: '4100', description: 'Usage', quantity: '1', amount: '12.34' },
        ],
        taxes: [{ accountCode: '2200', description: 'Sales tax', base: '312.34', amount: '25.77' }],
      });
    // Warm-up (login, caches).
    for (let n = 0; n < 5; n++) await post(-1 - n);

    const figures: Figure[] = [];
    const backend = trytonBackend();
    let started = Date.now();
    for (let n = 0; n < count; n++) await post(n);
    figures.push({
      bench: 'tryton-ar-postings',
      metric: `invoices posted per second, one at a time (${backend})`,
      value: count / ((Date.now() - started) / 1000),
      unit: '/s',
    });

    const inFlight = 4;
    started = Date.now();
    let next = count;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < 2 * count) await post(next++);
      }),
    );
    figures.push({
      bench: 'tryton-ar-postings',
      metric: `invoices posted per second, ${inFlight} in flight (${backend})`,
      value: count / ((Date.now() - started) / 1000),
      unit: '/s',
    });
    return figures;
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  trytonArPostings(Number(process.argv[2] ?? 200))
    .then((figures) => {
      for (const f of figures) console.log(`${f.metric}: ${f.value.toFixed(1)}${f.unit}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
