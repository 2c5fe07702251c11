import type { Landscape } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { between, sleep, tally } from '../support/chaos';
import { checkOrders, Q2cReader } from '../support/q2c-checks';
import { mappedProduct, q2cEnv, type Resources, startOrder } from './resources';

/**
 * The database restarted mid-run, as quote-to-cash sees a restart: it reaches PostgreSQL through a
 * TCP proxy that resets every open connection and refuses new ones for a few seconds, then accepts
 * them again (the test shares the machine's PostgreSQL with other suites and must not restart it).
 * Quote-to-cash must stay up through the outage and finish every order by itself, once: DBOS
 * retries its system-database calls on connection errors, and the steps retry their own.
 *
 * (An earlier version cut the connections with pg_terminate_backend and refused new ones with the
 * database's ALLOW_CONNECTIONS off. PostgreSQL then answers SQLSTATE 55000, which no restart ever
 * sends and DBOS rightly does not retry: the workflows ended in the process with their status left
 * PENDING, and only a restart's recovery resumed them. That was the simulation's stall, not the
 * product's.)
 */
export async function ordersThroughDatabaseRestart(
  l: Landscape,
  r: Resources,
  random: () => number,
): Promise<void> {
  const dbUrl = await r.database();
  const direct = new URL(dbUrl);
  const proxy = await r.databaseProxy({
    host: direct.hostname,
    port: Number(direct.port || 5432),
  });
  const app = await r.launch(
    'process-quote-to-cash',
    q2cEnv(l, { DATABASE_URL: proxy.url(dbUrl), REVGATE_DATA_DIR: r.folder('q2c-db') }),
  );
  const q2c = new Q2cReader(() => app.url);
  const product = await mappedProduct(l, q2c);
  const deals: { opportunityId: string }[] = [];
  for (let i = 0; i < 6; i++) deals.push(await l.closedWonDeal(product));
  for (const deal of deals) await startOrder(q2c, deal.opportunityId);
  await sleep(between(random, 500, 2000));
  const downMs = between(random, 2000, 4000);
  const cut = await proxy.cut();
  tally.faults += 1;
  console.log(`chaos, database restart: ${cut} connections of quote-to-cash reset`);
  await sleep(downMs);
  await proxy.restore();
  const alive = app.alive();
  const f = await checkOrders(l, q2c, dbUrl, deals, 150, false);
  if (!alive) f.broken('quote-to-cash exited when its database went away');
  if (!app.alive()) f.broken('quote-to-cash died after its database came back');
  console.log(
    `chaos, database restart: ${deals.length} orders, the database down ${downMs} ms mid-run ` +
      `(${cut} connections reset), quote-to-cash ${alive ? 'stayed up' : 'exited'}`,
  );
  if (f.problems.length > 0) console.log(`quote-to-cash's last words:\n${app.tail()}`);
  f.settle('databaseRestart', { orders: deals.length, downMs, connectionsReset: cut });
}
