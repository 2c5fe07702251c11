/**
 * npm run bench: runs every benchmark, prints a table and writes bench-results/latest.json with the
 * machine the figures came from. Speed targets live here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { trytonArPostings } from '../tryton/ar-postings.bench';
import { erpPosting, erpPostingTryton } from './erp-posting.bench';
import { gatewayOverhead } from './gateway-overhead.bench';
import type { Figure } from './harness';
import { invoiceFinalization } from './invoice-finalization.bench';
import { usageIngestion } from './usage-ingestion.bench';
import { billingRun } from './billing-run.bench';
import { reconciliation } from './reconciliation.bench';
import { ordersEndToEnd } from './orders.bench';

const BENCHES: Record<string, () => Promise<Figure[]>> = {
  'gateway-overhead': gatewayOverhead,
  'invoice-finalization': invoiceFinalization,
  'erp-posting': erpPosting,
  'usage-ingestion': usageIngestion,
  'billing-run': billingRun,
  reconciliation,
  orders: ordersEndToEnd,
  'erp-posting-tryton': erpPostingTryton,
  // The connector alone (no HTTP, no app): what the API's Tryton figure is made of.
  'tryton-ar-postings': () => trytonArPostings(100),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const figures: Figure[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stdout.write(`running ${name}…\n`);
    figures.push(...(await bench()));
  }
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL',
    at: new Date().toISOString(),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/latest.json', `${JSON.stringify({ machine, figures }, null, 2)}\n`);
  process.stdout.write(
    `\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}\n`,
  );
  console.table(
    figures.map((f) => ({
      bench: f.bench,
      metric: f.metric,
      value: Number(f.value.toFixed(f.unit === 'x' ? 2 : 1)),
      unit: f.unit,
      target: f.target ?? '',
      met: f.met === undefined ? '' : f.met ? 'yes' : 'NO',
    })),
  );
  if (figures.some((f) => f.met === false)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
