import type { Landscape } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { between, pollUntil, sleep, tally } from '../support/chaos';
import { ErpFaults } from '../support/erp-faults';
import { checkOrders, exceptionCodes, Q2cReader } from '../support/q2c-checks';
import { mappedProduct, q2cEnv, type Resources, startOrder } from './resources';

/**
 * Quote-to-cash in a process of its own, killed (SIGKILL) `kills` times at random moments while
 * orders are under way — a new order starts before every other kill, so work is always in flight —
 * while the ERP is down for maintenance (503) for 30 s and then takes one call a second (429s).
 * Then every order is completed once in every system (checkOrders).
 */
export async function ordersUnderCrashes(
  l: Landscape,
  r: Resources,
  random: () => number,
  kills: number,
): Promise<void> {
  const dbUrl = await r.database();
  const app = await r.launch(
    'process-quote-to-cash',
    q2cEnv(l, { DATABASE_URL: dbUrl, REVGATE_DATA_DIR: r.folder('q2c') }),
  );
  const q2c = new Q2cReader(() => app.url);
  const product = await mappedProduct(l, q2c);
  const erp = new ErpFaults(l.erp.url, l.erp.token(['erp:admin']));
  // Every ERP call takes a while, so the kills land in the middle of the orders.
  await erp.set({ latencyMs: 800 });
  const deals = [];
  for (let i = 0; i < 4; i++) deals.push(await l.closedWonDeal(product));
  for (const deal of deals) await startOrder(q2c, deal.opportunityId);

  let outageEnds = 0;
  let stormEnds = 0;
  let phase: 'before' | 'outage' | 'storm' | 'after' = 'before';
  const storm = async (): Promise<'storm'> => {
    // Past the window the ERP takes one call a second: the orders' waiting calls meet 429s.
    stormEnds = Date.now() + 8_000;
    await erp.set({ latencyMs: 100, ratePerSecond: 1 });
    tally.faults += 1;
    return 'storm';
  };
  for (let k = 0; k < kills; k++) {
    if (k % 2 === 1) {
      const deal = await l.closedWonDeal(product);
      deals.push(deal);
      await startOrder(q2c, deal.opportunityId);
    }
    if (phase === 'before' && k === 2) {
      outageEnds = Date.now() + 30_000;
      await erp.set({ latencyMs: 800, maintenanceUntil: new Date(outageEnds).toISOString() });
      tally.faults += 1;
      phase = 'outage';
    } else if (phase === 'outage' && Date.now() > outageEnds) {
      // The outage lasts until the orders have met it (a 503), however slow the machine.
      if ((await erp.maintenanceRefusedNow()) > 0) phase = await storm();
      else {
        outageEnds = Date.now() + 5_000;
        await erp.set({ latencyMs: 800, maintenanceUntil: new Date(outageEnds).toISOString() });
      }
    } else if (phase === 'storm' && Date.now() > stormEnds && (await erp.rateRefusedNow()) > 0) {
      await erp.set({ latencyMs: 800 });
      phase = 'after';
    }
    await sleep(between(random, 200, 1200));
    await app.crash();
  }
  // However fast the kills went, the outage and the storm both happen in full.
  if (phase === 'outage') {
    await sleep(Math.max(0, outageEnds - Date.now()));
    if ((await erp.maintenanceRefusedNow()) === 0) {
      await erp.set({
        latencyMs: 800,
        maintenanceUntil: new Date(Date.now() + 60_000).toISOString(),
      });
      await pollUntil(
        () => erp.maintenanceRefusedNow(),
        (n) => n > 0,
        60,
        500,
      );
    }
    phase = await storm();
  }
  // The storm lasts until the orders have met it (a 429), however slow the machine.
  if (phase === 'storm')
    await pollUntil(
      () => erp.rateRefusedNow(),
      (n) => n > 0 && Date.now() > stormEnds,
      60,
      500,
    );
  const refused = await erp.clear();

  const f = await checkOrders(l, q2c, dbUrl, deals, 150);
  console.log(
    `chaos, orders: ${deals.length} orders, ${kills} SIGKILLs of quote-to-cash, the ERP refused ` +
      `${refused.maintenance} calls in its 30 s maintenance (503) and ${refused.rate} over its ` +
      `rate (429); exceptions raised: ${JSON.stringify(await exceptionCodes(dbUrl))}`,
  );
  expect(refused.maintenance).toBeGreaterThan(0);
  expect(refused.rate).toBeGreaterThan(0);
  f.settle('orders', {
    orders: deals.length,
    kills,
    erp503: refused.maintenance,
    erp429: refused.rate,
  });
}
