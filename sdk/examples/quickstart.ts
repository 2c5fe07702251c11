/**
 * The quickstart: authenticate, sell a product across the systems, turn a closed-won deal into an
 * order, follow it to an invoice and its per-deal trace, and send usage for the new subscription.
 *
 *   npm start                                      # the whole gateway on ports 3001–3006
 *   npx ts-node sdk/examples/quickstart.ts         # or: node sdk/dist/... after your own build
 *
 * Every URL and the credentials come from the environment (REVGATE_CRM_URL … REVGATE_U2R_URL,
 * REVGATE_CLIENT_ID, REVGATE_CLIENT_SECRET, REVGATE_TOKEN_URL), defaulting to `npm start`'s.
 */
import { randomUUID } from 'node:crypto';
import {
  createRevgate,
  idempotencyKey,
  RevgateProblem,
  unwrap,
  type billing,
  type q2c,
  type Revgate,
  type u2r,
} from '@revgate/sdk';

export interface QuickstartOptions {
  urls: { crm: string; billing: string; tax: string; erp: string; q2c: string; u2r: string };
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
  /** The ERP legal entity that sells (it must exist with its chart, as the demo's US01 does). */
  legalEntity?: string;
  /** How long to wait for the order to complete. */
  timeoutSeconds?: number;
  log?: (line: string) => void;
}

export interface QuickstartResult {
  correlationId: string;
  order: q2c.SchemaOrderResponse;
  invoice: billing.SchemaInvoiceResponse;
  usage: u2r.SchemaIngestUsageResponse;
  /** The same batch sent again: every event a duplicate. */
  usageAgain: u2r.SchemaIngestUsageResponse;
}

/** The options from the environment, with `npm start`'s defaults. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): QuickstartOptions {
  const url = (name: string, port: number): string =>
    env[`REVGATE_${name}_URL`] ?? `http://127.0.0.1:${String(port)}`;
  return {
    urls: {
      crm: url('CRM', 3001),
      billing: url('BILLING', 3002),
      tax: url('TAX', 3003),
      erp: url('ERP', 3004),
      q2c: url('Q2C', 3005),
      u2r: url('U2R', 3006),
    },
    clientId: env.REVGATE_CLIENT_ID ?? 'revgate-dev',
    clientSecret: env.REVGATE_CLIENT_SECRET ?? 'revgate-dev-secret',
    tokenUrl: env.REVGATE_TOKEN_URL,
  };
}

/** The first day of this month (UTC), as the systems date a subscription's start. */
const monthStart = (): string => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
};

/** A product in every system, and quote-to-cash's mapping of the CRM product to billing and ERP. */
async function sellProduct(
  revgate: Revgate,
  sku: string,
  legalEntity: string,
): Promise<{ crmProductId: string; priceId: string }> {
  const name = `Quickstart platform ${sku}`;
  const crmProduct = await unwrap(revgate.crm.POST('/crm/v1/products', { body: { sku, name } }));
  const product = await unwrap(
    revgate.billing.POST('/billing/v1/products', {
      body: { sku, name },
      params: { header: idempotencyKey() },
    }),
  );
  const price = await unwrap(
    revgate.billing.POST('/billing/v1/prices', {
      body: {
        productId: product.id,
        currency: 'USD',
        type: 'recurring',
        interval: 'month',
        billingScheme: 'per_unit',
        unitAmount: '100.00',
      },
    }),
  );
  await unwrap(
    revgate.erp.PUT('/erp/v1/items/{legalEntity}/{code}', {
      params: { path: { legalEntity, code: sku } },
      body: { name, revenueAccount: '4000', deferredRevenueAccount: '2400', taxCode: 'SW054000' },
    }),
  );
  await unwrap(
    revgate.q2c.POST('/q2c/v1/product-mappings', {
      body: {
        crmProductId: crmProduct.id,
        currency: 'USD',
        billingPriceId: price.id,
        erpItemCode: sku,
      },
    }),
  );
  return { crmProductId: crmProduct.id, priceId: price.id };
}

/** An account in New York and a deal for 10 seats at 100.00 a month, closed-won. */
async function closedWonDeal(
  revgate: Revgate,
  crmProductId: string,
  legalEntity: string,
): Promise<string> {
  const account = await unwrap(
    revgate.crm.POST('/crm/v1/accounts', {
      body: {
        legalName: `Quickstart Customer ${randomUUID().slice(0, 8)}`,
        billingAddress: {
          line1: '350 Fifth Avenue',
          city: 'New York',
          region: 'NY',
          postalCode: '10118',
          country: 'US',
        },
        taxRegistration: { scheme: 'EIN', number: '12-3456789', country: 'US' },
        currency: 'USD',
        legalEntity,
      },
    }),
  );
  const opportunity = await unwrap(
    revgate.crm.POST('/crm/v1/opportunities', {
      body: {
        accountId: account.id,
        name: 'Quickstart deal',
        lines: [
          {
            productId: crmProductId,
            quantity: '10',
            unitPrice: '100.00',
            termMonths: 12,
            startDate: monthStart(),
          },
        ],
      },
    }),
  );
  await unwrap(
    revgate.crm.POST('/crm/v1/opportunities/{id}/stage', {
      params: { path: { id: opportunity.id } },
      body: { stage: 'closed_won' },
    }),
  );
  return opportunity.id;
}

/** Polls the order until it is completed; an order that waits for someone is an error here. */
async function completedOrder(
  revgate: Revgate,
  id: string,
  timeoutSeconds: number,
): Promise<q2c.SchemaOrderResponse> {
  const until = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const order = await unwrap(
      revgate.q2c.GET('/q2c/v1/orders/{id}', { params: { path: { id } } }),
    );
    if (order.status === 'completed') return order;
    if (order.status === 'needs_attention' || order.status === 'cancelled')
      throw new Error(
        `order ${id} is ${order.status}: ${order.exception?.code ?? ''} ${order.exception?.detail ?? ''}`,
      );
    if (Date.now() > until)
      throw new Error(
        `order ${id} is still at ${order.currentStep ?? '?'} after ${String(timeoutSeconds)} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A meter by its code: the one that exists, or a new one. */
async function ensureMeter(revgate: Revgate, code: string): Promise<void> {
  try {
    await unwrap(revgate.u2r.GET('/u2r/v1/meters/{code}', { params: { path: { code } } }));
  } catch (e) {
    if (!(e instanceof RevgateProblem && e.status === 404)) throw e;
    await unwrap(
      revgate.u2r.POST('/u2r/v1/meters', {
        body: { code, name: 'API calls', aggregation: 'sum', unit: 'calls' },
      }),
    );
  }
}

export async function main(options: QuickstartOptions): Promise<QuickstartResult> {
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const legalEntity = options.legalEntity ?? 'US01';
  const run = randomUUID().slice(0, 8);
  const correlationId = `quickstart-${run}`;
  const revgate = createRevgate({
    baseUrls: options.urls,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    tokenUrl: options.tokenUrl,
    correlationId,
  });

  // 1. Authenticate: the first call gets a token (client credentials) and keeps it.
  const products = await unwrap(
    revgate.crm.GET('/crm/v1/products', { params: { query: { limit: 1 } } }),
  );
  log(
    `authenticated as ${options.clientId}; the CRM answers (${String(products.data.length)} product on the first page)`,
  );
  log(`every call of this run carries X-Correlation-Id: ${correlationId}`);

  // 2. A product sold in the CRM, priced in billing, an item in the ERP, mapped in quote-to-cash.
  const sku = `QS-${run}`;
  const { crmProductId, priceId } = await sellProduct(revgate, sku, legalEntity);
  log(
    `product ${sku}: CRM ${crmProductId}, billing price ${priceId} (100.00 USD a seat a month), ERP item ${legalEntity}/${sku}, mapped in quote-to-cash`,
  );

  // 3. A closed-won deal, and its order.
  const opportunityId = await closedWonDeal(revgate, crmProductId, legalEntity);
  log(`closed-won opportunity ${opportunityId}: 10 seats for a customer in New York`);
  const started = await unwrap(
    revgate.q2c.POST('/q2c/v1/orders', {
      body: { opportunityId },
      params: { header: idempotencyKey(`quickstart-order-${opportunityId}`) },
    }),
  );
  log(`order ${started.id} started (${started.status}); waiting for it to complete…`);
  const order = await completedOrder(revgate, started.id, options.timeoutSeconds ?? 120);

  // 4. Its invoice in billing, and the per-deal trace.
  const invoiceId = order.refs.invoiceId;
  if (invoiceId === undefined) throw new Error(`order ${order.id} completed without an invoice`);
  const invoice = await unwrap(
    revgate.billing.GET('/billing/v1/invoices/{id}', { params: { path: { id: invoiceId } } }),
  );
  log(
    `invoice ${invoice.number ?? invoice.id}: ${invoice.status}, total ${invoice.total} ${invoice.currency} (tax ${invoice.totalTax})`,
  );
  log(`trace of order ${order.id} (correlation id ${order.correlationId}):`);
  for (const step of order.steps)
    log(
      `  ${step.name.padEnd(24)} ${step.status.padEnd(8)} attempts ${String(step.attempts)}${step.detail ? `  ${step.detail}` : ''}`,
    );
  log(
    `  ERP receivable ${order.refs.erpInvoiceNumber ?? order.refs.erpInvoiceId ?? '?'}, subscription ${order.refs.subscriptionId ?? '?'}`,
  );

  // 5. Usage for the new subscription: a meter (made once), a batch of events, the batch again.
  await ensureMeter(revgate, 'api_calls');
  const now = new Date().toISOString();
  const events = [1, 2, 3].map((n) => ({
    id: `quickstart-${run}-${String(n)}`,
    subscriptionId: order.refs.subscriptionId,
    meterCode: 'api_calls',
    quantity: String(n * 100),
    timestamp: now,
  }));
  const usage = await unwrap(revgate.u2r.POST('/u2r/v1/usage-events', { body: { events } }));
  log(
    `usage: ${String(usage.accepted)} accepted, ${String(usage.duplicates)} duplicates, ${String(usage.rejected)} rejected (period ${usage.events[0]?.period ?? '?'})`,
  );
  const usageAgain = await unwrap(revgate.u2r.POST('/u2r/v1/usage-events', { body: { events } }));
  log(
    `the same batch again: ${String(usageAgain.accepted)} accepted, ${String(usageAgain.duplicates)} duplicates`,
  );
  return { correlationId, order, invoice, usage, usageAgain };
}

if (require.main === module) {
  main(optionsFromEnv()).catch((e: unknown) => {
    process.stderr.write(
      e instanceof RevgateProblem
        ? `${e.message} (code ${e.code}, correlation id ${e.correlationId ?? '?'})\n`
        : `${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = 1;
  });
}
