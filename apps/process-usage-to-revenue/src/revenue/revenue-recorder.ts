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
  subscription_id: string;
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

  /** Records planned schedules; must run inside the caller's transaction. A line recorded before stays as it is. */
  async record(planned: readonly PlannedSchedule[]): Promise<void> {
    if (planned.length === 0) return;
    const m = this.tx.manager;
    const inserted = await m.query<{ id: string }[]>(
      `insert into u2r.revenue_schedules (id, legal_entity, currency, invoice_id, invoice_number,
          invoice_line_id, subscription_id, customer_id, product_id, product_family, item_code,
          line_type, method, total, deferred, deferred_account, revenue_account, posting_period, created_at)
       select r.id, r.legal_entity, r.currency, r.invoice_id, r.invoice_number, r.invoice_line_id,
              r.subscription_id, r.customer_id, r.product_id, r.product_family, r.item_code,
              r.line_type, r.method, r.total, r.deferred, r.deferred_account, r.revenue_account,
              r.posting_period, now()
         from jsonb_to_recordset($1::jsonb) as r(id uuid, legal_entity text, currency text,
              invoice_id uuid, invoice_number text, invoice_line_id text, subscription_id text,
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
