import { devToken } from '../../bench/harness';
import { http, type JsonResponse } from '../../support/test-app';
import type { Landscape, OrderBody } from '../../../apps/process-quote-to-cash/test/q2c-fixtures';
import { pollUntil } from './chaos';
import {
  checkErpLedger,
  checkProcessOutbox,
  checkSystemOutbox,
  Findings,
  query,
} from './invariants';

/** Reads quote-to-cash's orders through its API (a process of its own, on its dev issuer). */
export class Q2cReader {
  private bearer?: { url: string; token: string };

  constructor(private readonly url: () => string) {}

  async token(): Promise<string> {
    const url = this.url();
    if (this.bearer?.url !== url) this.bearer = { url, token: await devToken(url) };
    return this.bearer.token;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
    return http<T>(method, `${this.url()}/q2c/v1/${path}`, { token: await this.token(), body });
  }

  async order(id: string): Promise<OrderBody | undefined> {
    try {
      const res = await this.call<OrderBody>('GET', `orders/${id}`);
      return res.status === 200 ? res.body : undefined;
    } catch {
      return undefined; // between a kill and the restart
    }
  }

  async ordersOf(opportunityId: string): Promise<OrderBody[]> {
    const res = await this.call<{ data: OrderBody[] }>(
      'GET',
      `orders?opportunityId=${opportunityId}`,
    );
    return res.body.data;
  }

  /** Waits until every order is completed (or the time is up); answers the last view of each. */
  async awaitCompleted(
    ids: string[],
    seconds: number,
  ): Promise<Map<string, OrderBody | undefined>> {
    const until = Date.now() + seconds * 1000;
    const seen = new Map<string, OrderBody | undefined>();
    for (const id of ids) {
      const left = Math.max(1, (until - Date.now()) / 1000);
      seen.set(
        id,
        await pollUntil(
          () => this.order(id),
          (o) => o?.status === 'completed',
          left,
        ),
      );
    }
    return seen;
  }
}

/**
 * Every deal became exactly one completed order, and each order's records exist exactly once in
 * every system: the billing subscription (by external id = order id), one invoice on it, one tax
 * transaction, one ERP receivable and one GL move for it, the CRM's billing status written back,
 * one contract.activated event; the ERP's ledger balances, the outboxes drained, and every
 * exception quote-to-cash raised says what and why.
 */
export async function checkOrders(
  l: Landscape,
  q2c: Q2cReader,
  q2cDatabaseUrl: string,
  deals: { opportunityId: string }[],
  seconds = 120,
  /** false: a scenario running beside this one holds the systems' deliveries on purpose. */
  systemOutboxes = true,
): Promise<Findings> {
  const f = new Findings();
  const orderIds: string[] = [];
  for (const deal of deals) {
    const orders = await q2c.ordersOf(deal.opportunityId);
    f.once(orders.length, `order of opportunity ${deal.opportunityId}`);
    if (orders[0]) orderIds.push(orders[0].id);
  }
  const views = await q2c.awaitCompleted(orderIds, seconds);
  const invoiceIds: string[] = [];
  for (const [id, order] of views) {
    if (order?.status !== 'completed') {
      f.missing(`order ${id} not completed: ${order?.status} at ${order?.currentStep}`);
      continue;
    }
    const subs = await l.ok<{ data: { id: string }[] }>(
      'billing',
      'GET',
      `subscriptions?externalId=${id}`,
    );
    f.once(subs.data.length, `billing subscription of order ${id}`);
    const invoiceId = String(order.refs.invoiceId);
    invoiceIds.push(invoiceId);
    for (const sub of subs.data) {
      const invoices = await l.ok<{ data: { id: string }[] }>(
        'billing',
        'GET',
        `invoices?subscriptionId=${sub.id}`,
      );
      f.once(invoices.data.length, `invoice of subscription ${sub.id}`);
      if (invoices.data.length === 1 && invoices.data[0].id !== invoiceId)
        f.broken(`order ${id} refers to invoice ${invoiceId}, billing has ${invoices.data[0].id}`);
    }
    const [ar] = await l.erp.sql<{ n: number }>(
      'select count(*)::int as n from erp.ar_documents where external_id = $1',
      [invoiceId],
    );
    f.once(ar.n, `ERP receivable of invoice ${invoiceId}`);
    const [moves] = await l.erp.sql<{ n: number }>(
      "select count(*)::int as n from erp.moves where source = 'invoice' and external_id = $1",
      [invoiceId],
    );
    f.once(moves.n, `GL move of invoice ${invoiceId}`);
    const [tax] = await l.tax.sql<{ n: number }>(
      'select count(*)::int as n from tax.tax_transactions where code = $1',
      [invoiceId],
    );
    f.once(tax.n, `tax transaction of invoice ${invoiceId}`);
    const crm = await l.ok<{ billingStatus?: { status: string; invoiceId?: string } }>(
      'crm',
      'GET',
      `opportunities/${order.opportunityId}`,
    );
    if (crm.billingStatus?.status !== 'active' || crm.billingStatus.invoiceId !== invoiceId)
      f.missing(`CRM write-back of order ${id}: ${JSON.stringify(crm.billingStatus)}`);
  }
  const events = await query<{ subject: string; n: number }>(
    q2cDatabaseUrl,
    `select subject, count(*)::int as n from q2c.outbox_events
      where type = 'q2c.contract.activated.v1' and subject = any($1) group by subject`,
    [orderIds],
  );
  for (const id of orderIds)
    f.once(events.find((e) => e.subject === id)?.n ?? 0, `contract.activated of order ${id}`);
  await checkExceptions(q2cDatabaseUrl, orderIds, f);
  await checkErpLedger(l.erp, f);
  if (systemOutboxes) await checkSystemOutboxes(l, f);
  await checkProcessOutbox(q2cDatabaseUrl, 'q2c', f);
  return f;
}

/** The CRM's, billing's, tax's and the ERP's outboxes drained: every delivery delivered. */
export async function checkSystemOutboxes(l: Landscape, f: Findings): Promise<void> {
  for (const [app, schema] of [
    [l.crm, 'crm'],
    [l.billing, 'billing'],
    [l.tax, 'tax'],
    [l.erp, 'erp'],
  ] as const)
    await checkSystemOutbox(app, schema, f);
}

/**
 * No exception lacks a cause: each has a code, a title, a detail and what to fix; and none is
 * still open on an order that completed.
 */
async function checkExceptions(url: string, orderIds: string[], f: Findings): Promise<void> {
  const rows = await query<{
    id: string;
    code: string;
    title: string;
    detail: string;
    what: string;
    status: string;
    order_id: string;
  }>(
    url,
    `select id, code, title, detail, what_to_fix as what, status, order_id from q2c.exceptions
      where order_id = any($1)`,
    [orderIds],
  );
  for (const r of rows) {
    if (![r.code, r.title, r.detail, r.what].every((s) => typeof s === 'string' && s.trim()))
      f.broken(`exception ${r.id} of order ${r.order_id} lacks a cause: ${JSON.stringify(r)}`);
    if (r.status === 'open')
      f.broken(`exception ${r.id} (${r.code}) still open on completed order ${r.order_id}`);
  }
}

/** How many exceptions the orders raised, by code (for the report). */
export async function exceptionCodes(url: string): Promise<Record<string, number>> {
  const rows = await query<{ code: string; n: number }>(
    url,
    'select code, count(*)::int as n from q2c.exceptions group by code order by code',
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.n]));
}
