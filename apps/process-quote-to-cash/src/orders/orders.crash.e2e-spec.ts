import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '@revgate/persistence';
import { startProcessApp, type ProcessApp } from '../../../../test/support/process-app';
import { http } from '../../../../test/support/test-app';
import { expectStatus, Landscape, type OrderBody } from '../../test/q2c-fixtures';

const ORDERS = 4;
const KILLS = 20;

/**
 * Quote-to-cash in a process of its own, killed (SIGKILL, no shutdown) 20 times at random moments
 * while orders are under way, and started again on the same database each time: every order
 * completes, and everything it made exists exactly once in each system.
 */
describe('orders survive crashes of quote-to-cash (e2e, SIGKILL)', () => {
  let l: Landscape;
  let db: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  let q2c: ProcessApp | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    l = await Landscape.start({ Q2C_IN_PROCESS: 'false' });
    db = await createScratchDatabase(process.env.DATABASE_URL ?? '', 'revgate_t');
    dataDir = mkdtempSync(join(tmpdir(), 'revgate-q2c-crash-'));
    env = {
      ...l.systemsEnv(),
      DATABASE_URL: db.url,
      REVGATE_DATA_DIR: dataDir,
      OUTBOX_RELAY_ENABLED: 'false',
      INVOICE_EVENT_WAIT_SECONDS: '0',
      STEP_RETRY_ATTEMPTS: '3',
      STEP_RETRY_INTERVAL_SECONDS: '1',
    };
  }, 180_000);
  afterAll(async () => {
    await q2c?.stop();
    await l.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = async (app: ProcessApp): Promise<string> => {
    const res = await http<{ access_token: string }>('POST', `${app.url}/auth/token`, {
      body: {
        grant_type: 'client_credentials',
        client_id: 'revgate-dev',
        client_secret: 'revgate-dev-secret',
      },
    });
    expectStatus(res, 200);
    return res.body.access_token;
  };
  const order = async (app: ProcessApp, id: string): Promise<OrderBody> => {
    const res = await http<OrderBody>('GET', `${app.url}/q2c/v1/orders/${id}`, {
      token: await token(app),
    });
    expectStatus(res, 200);
    return res.body;
  };

  it('completes every order once, however often it is killed', async () => {
    expect(KILLS).toBeGreaterThan(0);
    const product = await l.product({ mapped: false });
    const deals = [];
    for (let i = 0; i < ORDERS; i++) deals.push(await l.closedWonDeal(product));
    q2c = await startProcessApp('process-quote-to-cash', env);
    let bearer = await token(q2c);
    expectStatus(
      await http('POST', `${q2c.url}/q2c/v1/product-mappings`, {
        token: bearer,
        body: {
          crmProductId: product.crmProductId,
          currency: 'USD',
          billingPriceId: product.priceId,
          erpItemCode: product.erpItem,
        },
      }),
      201,
    );
    // Every ERP call takes a while, so the kills land in the middle of the orders.
    const admin = l.erp.token(['erp:admin']);
    await l.erpApi.ok('PUT', 'sandbox/governance', admin, { latencyMs: 1500 });
    const ids: string[] = [];
    for (const deal of deals) {
      const res = await http<OrderBody>('POST', `${q2c.url}/q2c/v1/orders`, {
        token: bearer,
        body: { opportunityId: deal.opportunityId },
      });
      expectStatus(res, 202);
      ids.push(res.body.id);
    }

    // Kill it at random moments while the orders are under way; the ERP's latency stretches them.
    // Every other kill, a new order starts first, so there is always work in flight to cut.
    let kills = 0;
    for (; kills < KILLS; kills++) {
      if (kills % 2 === 1) {
        const deal = await l.closedWonDeal(product);
        const res = await http<OrderBody>('POST', `${q2c.url}/q2c/v1/orders`, {
          token: await token(q2c),
          body: { opportunityId: deal.opportunityId },
        });
        expectStatus(res, 202);
        ids.push(res.body.id);
      }
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 1500)));
      await q2c.kill();
      q2c = await startProcessApp('process-quote-to-cash', env);
    }
    process.stdout.write(`q2c crash test: ${kills} SIGKILLs survived\n`);
    await l.erpApi.ok('PUT', 'sandbox/governance', admin, { latencyMs: 0 });
    bearer = await token(q2c);

    const finished: OrderBody[] = [];
    for (const id of ids) {
      const deadline = Date.now() + 90_000;
      let current = await order(q2c, id);
      while (current.status !== 'completed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        current = await order(q2c, id);
      }
      expect(current.status).toBe('completed');
      finished.push(current);
    }
    for (const done of finished) {
      const subs = await l.ok<{ data: { id: string }[] }>(
        'billing',
        'GET',
        `subscriptions?externalId=${done.id}`,
      );
      expect(subs.data).toHaveLength(1);
      const invoices = await l.ok<{ data: { id: string }[] }>(
        'billing',
        'GET',
        `invoices?subscriptionId=${subs.data[0]?.id ?? ''}`,
      );
      expect(invoices.data.map((i) => i.id)).toEqual([done.refs.invoiceId]);
      const posted = await l.erp.sql<{ n: number }>(
        'select count(*)::int as n from erp.ar_documents where external_id = $1',
        [done.refs.invoiceId],
      );
      expect(posted).toEqual([{ n: 1 }]);
      const crmView = await l.ok<{ billingStatus: { status: string; invoiceId?: string } }>(
        'crm',
        'GET',
        `opportunities/${done.opportunityId}`,
      );
      expect(crmView.billingStatus).toMatchObject({
        status: 'active',
        invoiceId: done.refs.invoiceId,
      });
    }
    const taxed = await l.tax.sql<{ n: number }>(
      'select count(*)::int as n from tax.tax_transactions where code = any($1)',
      [finished.map((o) => o.refs.invoiceId)],
    );
    expect(taxed).toEqual([{ n: finished.length }]);
    const { Client } = await import('pg');
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      expect(finished).toHaveLength(ORDERS + KILLS / 2);
      const events = await sql.query<{ subject: string; n: number }>(
        "select subject, count(*)::int as n from q2c.outbox_events where type = 'q2c.contract.activated.v1' group by subject order by subject",
      );
      expect(events.rows).toEqual([...ids].sort().map((subject) => ({ subject, n: 1 })));
    } finally {
      await sql.end();
    }
  }, 900_000);
});
