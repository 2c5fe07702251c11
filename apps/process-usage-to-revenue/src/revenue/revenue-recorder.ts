import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MoneyDecimal } from '@revgate/canonical';
import type { billing, erp } from '@revgate/clients';
import { TransactionHost } from '@revgate/persistence';
import { SystemApis } from '../upstreams/upstream-apis';
import { upstreamProblem } from '../upstreams/upstream-problem';
import { buildSchedules, type RevenueLine } from './revenue-schedule.builder';

type Invoice = billing.components['schemas']['InvoiceResponse'];
type InvoiceLine = Invoice['lines'][number];
type Posted = erp.components['schemas']['InvoiceResponse'];
type PostedCreditMemo = erp.components['schemas']['CreditMemoResponse'];

/** What revenue needs of a billing product (read from billing with its sku). */
export interface ProductRevenue {
  family: string;
  oneTimeRecognition: 'point_in_time' | 'ratable';
}

export interface PostedInvoice {
  subscriptionId: string;
  customerId: string;
  legalEntity: string;
  invoice: Invoice;
  /** The charge lines, in the order they were sent to the ERP (its answer's lines follow it). */
  charges: readonly InvoiceLine[];
  posted: Posted;
  products: ReadonlyMap<string, ProductRevenue>;
}

interface PlannedSchedule {
  id: string;
  legal_entity: string;
  currency: string;
  invoice_id: string;
  invoice_number: string | null;
  invoice_line_id: string;
  document_type: 'invoice' | 'credit_memo';
  source: 'billing_run' | 'erp';
  subscription_id: string | null;
  customer_id: string;
  product_id: string | null;
  product_family: string;
  item_code: string;
  line_type: string;
  method: string;
  total: string;
  deferred: boolean;
  deferred_account: string | null;
  revenue_account: string;
  posting_period: string;
  entries: { period: string; amount: string }[];
}

const DEFAULT_REVENUE: ProductRevenue = { family: 'general', oneTimeRecognition: 'point_in_time' };

/** The recognition type of a billing line: a proration credit follows the subscription it credits. */
function recognitionType(line: InvoiceLine): RevenueLine['type'] {
  if (line.type === 'usage') return 'usage';
  if (line.type === 'subscription' || (line.type === 'credit' && line.servicePeriod))
    return 'subscription';
  return 'one_time';
}

/**
 * Revenue schedules of posted invoice lines. Planned from the ERP's answer — which account each
 * line went to and whether it was deferred — then recorded in the transaction that marks the
 * invoice posted, so a posted line has exactly one schedule and an unposted one none.
 */
@Injectable()
export class RevenueRecorder {
  /** `<entity> <item code>` → the item's revenue account (a deferred line's release target). */
  private readonly revenueAccounts = new Map<string, string>();

  constructor(
    private readonly tx: TransactionHost,
    private readonly apis: SystemApis,
  ) {}

  /** The schedules of a posted invoice; may ask the ERP for an item's revenue account. */
  async plan(p: PostedInvoice): Promise<PlannedSchedule[]> {
    const lines: (RevenueLine & { source: InvoiceLine; erpLine: Posted['lines'][number] })[] = [];
    p.charges.forEach((source, i) => {
      const erpLine = p.posted.lines.at(i);
      if (!erpLine || new MoneyDecimal(erpLine.amount).isZero()) return;
      const product = (source.productId && p.products.get(source.productId)) || DEFAULT_REVENUE;
      lines.push({
        id: source.id,
        type: recognitionType(source),
        amount: erpLine.amount,
        currency: p.posted.currency,
        ...(source.servicePeriod
          ? { servicePeriod: { start: source.servicePeriod.from, end: source.servicePeriod.to } }
          : {}),
        issueDate: p.posted.date,
        oneTimeRecognition: product.oneTimeRecognition,
        source,
        erpLine,
      });
    });
    const schedules = buildSchedules(lines, p.posted.period);
    const planned: PlannedSchedule[] = [];
    for (const [i, line] of lines.entries()) {
      const schedule = schedules[i];
      const product =
        (line.source.productId && p.products.get(line.source.productId)) || DEFAULT_REVENUE;
      const revenueAccount = line.erpLine.deferred
        ? await this.revenueAccount(p.legalEntity, line.erpLine.itemCode)
        : line.erpLine.accountCode;
      planned.push({
        id: randomUUID(),
        legal_entity: p.legalEntity,
        currency: p.posted.currency,
        invoice_id: p.invoice.id,
        invoice_number: p.invoice.number ?? null,
        invoice_line_id: line.id,
        document_type: 'invoice',
        source: 'billing_run',
        subscription_id: p.subscriptionId,
        customer_id: p.customerId,
        product_id: line.source.productId ?? null,
        product_family: product.family,
        item_code: line.erpLine.itemCode,
        line_type: line.source.type,
        method: schedule.method,
        total: schedule.total,
        deferred: line.erpLine.deferred,
        deferred_account: line.erpLine.deferred ? line.erpLine.accountCode : null,
        revenue_account: revenueAccount,
        posting_period: p.posted.period,
        // Booked to revenue when posted: the ERP recognized it all in the posting period.
        entries: line.erpLine.deferred
          ? schedule.entries
          : [{ period: p.posted.period, amount: schedule.total }],
      });
    }
    return planned;
  }

  /**
   * The schedules of an AR document another flow posted (quote-to-cash's invoices, credit memos),
   * read back from the ERP: a line with a service period ratably by day over it, one without at the
   * document's date; a credit memo's schedule is negative (it takes revenue back). The family is
   * its item's product's in billing (by sku), `general` when billing has no such sku.
   */
  async planFromErp(
    document: Posted | PostedCreditMemo,
    type: 'invoice' | 'credit_memo',
    families: ReadonlyMap<string, string>,
  ): Promise<PlannedSchedule[]> {
    const sign = type === 'credit_memo' ? -1 : 1;
    const lines = document.lines.flatMap((l, i): (RevenueLine & { erpLine: typeof l })[] => {
      const amount = new MoneyDecimal(l.amount).times(sign);
      if (amount.isZero()) return [];
      return [
        {
          id: `line-${i + 1}`,
          type: l.servicePeriod ? 'subscription' : 'one_time',
          amount: amount.toFixed(),
          currency: document.currency,
          ...(l.servicePeriod ? { servicePeriod: l.servicePeriod } : {}),
          issueDate: document.date,
          erpLine: l,
        },
      ];
    });
    const schedules = buildSchedules(lines, document.period);
    const planned: PlannedSchedule[] = [];
    for (const [i, line] of lines.entries()) {
      const schedule = schedules[i];
      planned.push({
        id: randomUUID(),
        legal_entity: document.legalEntity,
        currency: document.currency,
        invoice_id: document.externalId,
        invoice_number: document.reference ?? document.number,
        invoice_line_id: line.id,
        document_type: type,
        source: 'erp',
        subscription_id: null,
        customer_id: document.customerExternalId,
        product_id: null,
        product_family: families.get(line.erpLine.itemCode) ?? 'general',
        item_code: line.erpLine.itemCode,
        line_type: line.servicePeriod ? 'subscription' : 'one_time',
        method: schedule.method,
        total: schedule.total,
        deferred: line.erpLine.deferred,
        deferred_account: line.erpLine.deferred ? line.erpLine.accountCode : null,
        revenue_account: line.erpLine.deferred
          ? await this.revenueAccount(document.legalEntity, line.erpLine.itemCode)
          : line.erpLine.accountCode,
        posting_period: document.period,
        entries: line.erpLine.deferred
          ? schedule.entries
          : [{ period: document.period, amount: schedule.total }],
      });
    }
    return planned;
  }

  /** Records planned schedules; must run inside the caller's transaction. A line recorded before stays as it is. */
  async record(planned: readonly PlannedSchedule[]): Promise<void> {
    if (planned.length === 0) return;
    const m = this.tx.manager;
    // One document, one set of schedules, whichever way it came (the run's posting or the ERP).
    const { invoice_id: document, document_type: type, legal_entity: entity } = planned[0];
    await m.query('select pg_advisory_xact_lock(hashtext($1))', [`revenue:${entity}:${document}`]);
    const known = await m.query<unknown[]>(
      `select 1 from u2r.revenue_schedules
        where invoice_id = $1 and document_type = $2 and legal_entity = $3 limit 1`,
      [document, type, entity],
    );
    if (known.length > 0) return;
    const inserted = await m.query<{ id: string }[]>(
      `insert into u2r.revenue_schedules (id, legal_entity, currency, invoice_id, invoice_number,
          invoice_line_id, document_type, source, subscription_id, customer_id, product_id,
          product_family, item_code, line_type, method, total, deferred, deferred_account,
          revenue_account, posting_period, created_at)
       select r.id, r.legal_entity, r.currency, r.invoice_id, r.invoice_number, r.invoice_line_id,
              r.document_type, r.source, r.subscription_id, r.customer_id, r.product_id,
              r.product_family, r.item_code, r.line_type, r.method, r.total, r.deferred,
              r.deferred_account, r.revenue_account, r.posting_period, now()
         from jsonb_to_recordset($1::jsonb) as r(id uuid, legal_entity text, currency text,
              invoice_id text, invoice_number text, invoice_line_id text, document_type text,
              source text, subscription_id text,
              customer_id text, product_id text, product_family text, item_code text, line_type text,
              method text, total numeric, deferred boolean, deferred_account text,
              revenue_account text, posting_period text)
       on conflict (invoice_id, invoice_line_id) do nothing
       returning id`,
      [JSON.stringify(planned.map(({ entries: _entries, ...row }) => row))],
    );
    const ids = new Set(inserted.map((r) => r.id));
    const entries = planned
      .filter((s) => ids.has(s.id))
      .flatMap((s) => s.entries.map((e) => ({ schedule_id: s.id, ...e })));
    if (entries.length === 0) return;
    await m.query(
      `insert into u2r.revenue_schedule_entries (schedule_id, period, amount)
       select r.schedule_id, r.period, r.amount
         from jsonb_to_recordset($1::jsonb) as r(schedule_id uuid, period text, amount numeric)`,
      [JSON.stringify(entries)],
    );
  }

  /** sku → product family, from the products read from billing (all of billing's when one is missing). */
  async familiesBySku(skus: readonly string[]): Promise<Map<string, string>> {
    const read = () =>
      this.tx.manager.query<{ sku: string; family: string | null }[]>(
        'select sku, family from u2r.billing_products where sku = any($1::text[])',
        [[...new Set(skus)]],
      );
    let known = await read();
    if (new Set(known.map((k) => k.sku)).size < new Set(skus).size) {
      let cursor: string | undefined;
      do {
        const { data, error, response } = await this.apis.billing.GET('/billing/v1/products', {
          params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } },
        });
        if (!data) throw upstreamProblem('billing', response.status, error);
        await this.tx.manager.query(
          `insert into u2r.billing_products (id, sku, name, family, one_time_recognition)
           select r.id, r.sku, r.name, r.family, r."oneTimeRecognition"
             from jsonb_to_recordset($1::jsonb) as r(id text, sku text, name text, family text,
                  "oneTimeRecognition" text)
           on conflict (id) do update set sku = excluded.sku, family = excluded.family,
                  one_time_recognition = excluded.one_time_recognition`,
          [JSON.stringify(data.data)],
        );
        cursor = data.nextCursor ?? undefined;
      } while (cursor);
      known = await read();
    }
    return new Map(known.map((k) => [k.sku, k.family ?? 'general']));
  }

  private async revenueAccount(legalEntity: string, itemCode: string): Promise<string> {
    const key = `${legalEntity} ${itemCode}`;
    const known = this.revenueAccounts.get(key);
    if (known) return known;
    const { data, error, response } = await this.apis.erp.GET(
      '/erp/v1/items/{legalEntity}/{code}',
      { params: { path: { legalEntity, code: itemCode } } },
    );
    if (!data) throw upstreamProblem('erp', response.status, error);
    this.revenueAccounts.set(key, data.revenueAccount);
    return data.revenueAccount;
  }
}
