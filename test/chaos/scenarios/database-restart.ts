import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@revgate/persistence';
import type { Landscape } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { freePort } from '../../support/process-app';
import { between, sleep, tally } from '../support/chaos';
import { checkOrders, Q2cReader } from '../support/q2c-checks';
import { mappedProduct, q2cEnv, type Resources, startOrder } from './resources';

/**
 * The database restarted mid-run, for real: quote-to-cash's database is an embedded PostgreSQL
 * of this test's own (the machine's server is not the test's to restart), stopped and started
 * again while orders are under way (the ERP is slow, so they are). Quote-to-cash itself is not
 * restarted: it must ride the restart out and finish every order once.
 */
export async function ordersThroughDatabaseRestart(
  l: Landscape,
  r: Resources,
  random: () => number,
): Promise<void> {
  const port = await freePort();
  const dataDir = r.folder('pg');
  const startPg = (): Promise<EmbeddedPostgresHandle> =>
    startEmbeddedPostgres({ dataDir, port, database: 'revgate_chaos_q2c' });
  let pg = await startPg();
  try {
    const app = await r.launch(
      'process-quote-to-cash',
      q2cEnv(l, { DATABASE_URL: pg.url, REVGATE_DATA_DIR: r.folder('q2c-pg') }),
    );
    const q2c = new Q2cReader(() => app.url);
    const product = await mappedProduct(l, q2c);
    const deals = [];
    for (let i = 0; i < 6; i++) deals.push(await l.closedWonDeal(product));
    for (const deal of deals) await startOrder(q2c, deal.opportunityId);
    await sleep(between(random, 500, 2000));
    await pg.stop();
    tally.faults += 1;
    const downMs = between(random, 2000, 4000);
    await sleep(downMs);
    pg = await startPg();
    const f = await checkOrders(l, q2c, pg.url, deals, 150);
    if (!app.alive()) f.broken('quote-to-cash exited when its database restarted');
    console.log(
      `chaos, database restart: ${deals.length} orders, PostgreSQL down ${downMs} ms mid-run, ` +
        `quote-to-cash ${app.alive() ? 'stayed up' : 'exited'}`,
    );
    f.settle('databaseRestart', { orders: deals.length, downMs });
    await app.stop();
  } finally {
    await pg.stop();
  }
}
