import { Landscape } from '../../apps/process-quote-to-cash/test/q2c-fixtures';
import { main, optionsFromEnv } from '../../sdk/examples/quickstart';
import {
  startU2rProcess,
  type U2rProcess,
} from '../../apps/process-usage-to-revenue/test/u2r-process';

/**
 * The partner quickstart (sdk/examples/quickstart.ts) run as a partner runs it — client
 * credentials, the generated clients, real HTTP — against the stack: CRM, billing, tax, ERP and
 * quote-to-cash (the landscape of the orders tests) and usage-to-revenue in a process of its own
 * (two DBOS apps cannot share a process).
 */
describe('the SDK quickstart against the running stack (e2e)', () => {
  let l: Landscape;
  let u2r: U2rProcess | undefined;

  beforeAll(async () => {
    l = await Landscape.start();
    u2r = await startU2rProcess(l);
  }, 240_000);
  afterAll(async () => {
    await u2r?.stop();
    await l.close();
  });

  it('authenticates, orders a closed-won deal to a taxed invoice with its trace, and sends usage', async () => {
    const lines: string[] = [];
    const defaults = optionsFromEnv({});
    expect(defaults.urls).toEqual({
      crm: 'http://127.0.0.1:3001',
      billing: 'http://127.0.0.1:3002',
      tax: 'http://127.0.0.1:3003',
      erp: 'http://127.0.0.1:3004',
      q2c: 'http://127.0.0.1:3005',
      u2r: 'http://127.0.0.1:3006',
    });
    const result = await main({
      ...optionsFromEnv({
        REVGATE_CRM_URL: l.crm.url,
        REVGATE_BILLING_URL: l.billing.url,
        REVGATE_TAX_URL: l.tax.url,
        REVGATE_ERP_URL: l.erp.url,
        REVGATE_Q2C_URL: l.q2c.url,
        REVGATE_U2R_URL: u2r?.url,
      }),
      log: (line) => lines.push(line),
    });

    const { order, invoice } = result;
    expect(order.status).toBe('completed');
    // The run's X-Correlation-Id is the order's: the key of its trace across the apps' logs.
    expect(order.correlationId).toBe(result.correlationId);
    expect(order.steps.map((s) => [s.name, s.status])).toEqual([
      ['validate_account', 'done'],
      ['ensure_erp_customer', 'done'],
      ['ensure_billing_customer', 'done'],
      ['map_products', 'done'],
      ['create_subscription', 'done'],
      ['tax_invoice', 'done'],
      ['await_invoice_finalized', 'done'],
      ['post_receivable', 'done'],
      ['write_back_crm', 'done'],
      ['activate_contract', 'done'],
    ]);
    // 10 seats at 100.00 for the month, New York's 4 % on SaaS.
    expect(invoice).toMatchObject({
      id: order.refs.invoiceId,
      status: 'finalized',
      currency: 'USD',
      total: '1040.00',
      totalTax: '40.00',
      subscriptionId: order.refs.subscriptionId,
    });
    // The receivable the trace names is in the ERP.
    const receivable = await l.ok<{ id: string; total: string }>(
      'erp',
      'GET',
      `invoices/US01/${String(order.refs.invoiceId)}`,
    );
    expect(receivable).toMatchObject({ id: order.refs.erpInvoiceId, total: '1040.00' });

    expect(result.usage).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    expect(result.usage.events.map((e) => e.fate)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(result.usageAgain).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });

    // What it printed: the invoice and every step of the trace.
    expect(lines).toContainEqual(
      expect.stringMatching(/^invoice .*: finalized, total 1040\.00 USD/),
    );
    for (const step of order.steps) expect(lines.join('\n')).toContain(step.name);
  });
});
