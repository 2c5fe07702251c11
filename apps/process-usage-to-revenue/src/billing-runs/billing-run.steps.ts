import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  EventTypes,
  MoneyDecimal,
  nextPeriod,
  periodStart,
  type RatedUsageDto,
} from '@revgate/canonical';
import { idempotentHint, type billing, type erp } from '@revgate/clients';
import { type NewEvent, OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { U2rConfig } from '../u2r.config';
import { RatingService } from '../rating/rating.service';
import { RevenueRecorder, type ProductRevenue } from '../revenue/revenue-recorder';
import { SystemApis } from '../upstreams/upstream-apis';
import { problemOf, upstreamProblem } from '../upstreams/upstream-problem';
import { UsagePeriodsService } from '../usage-periods/usage-periods.service';
import type { ItemStatus } from './billing-run.entity';

type Invoice = billing.components['schemas']['InvoiceResponse'];
type ErpInvoice = erp.components['schemas']['PostInvoiceRequest'];

interface Item {
  subscription_id: string;
  customer_id: string;
  legal_entity: string;
  currency: string;
  status: ItemStatus;
  invoice: Invoice | null;
}

interface Rated {
  id: string;
  meter_code: string;
  quantity: string;
  event_count: number;
  first_event_id: string;
  last_event_id: string;
  checksum: string;
  start_date: string;
  end_date: string | null;
}

/** A refusal the caller can act on (written on the item); anything else fails the step. */
const IN_USE = 'IDEMPOTENCY_KEY_IN_USE';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Usage lines a call to billing carries (its batch endpoint's limit). */
const USAGE_BATCH = 1000;

/** Runs `work` over `items`, `concurrency` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const trimDecimal = (v: string): string => new MoneyDecimal(v).toFixed();

/**
 * What a billing run does, step by step. Each method is one workflow step: it reads what earlier
 * attempts recorded and does only what is left, and every call it sends is idempotent (an
 * Idempotency-Key derived from the run and the item, billing's sourceRef, the ERP's external
 * id), so a step run again after a crash has no second effect.
 */
@Injectable()
export class BillingRunSteps {
  constructor(
    private readonly tx: TransactionHost,
    private readonly apis: SystemApis,
    private readonly rating: RatingService,
    private readonly periods: UsagePeriodsService,
    private readonly outbox: OutboxWriter,
    private readonly config: U2rConfig,
    private readonly revenue: RevenueRecorder,
  ) {}

  async closePeriod(runId: string, period: string): Promise<void> {
    await this.periods.close(period, runId);
  }

  sync(): Promise<number> {
    return this.rating.syncFromBilling();
  }

  rate(period: string): Promise<number> {
    return this.rating.rate(period);
  }

  /** Claims the subscriptions the run bills (those no run billed for the period yet), in chunks. */
  async plan(runId: string, period: string, entities: string[]): Promise<number> {
    const end = periodStart(nextPeriod(period));
    await this.tx.manager.query(
      `insert into u2r.billed_subscriptions (period, subscription_id, run_id, chunk, customer_id,
         legal_entity, currency, status, updated_at)
       select $1::varchar, s.id, $2::varchar, (row_number() over (order by s.id) - 1) / $4::int, s.customer_id,
              s.legal_entity, s.currency, 'pending', now()
         from u2r.billing_subscriptions s
        where s.status <> 'canceled' and s.start_date < $5::date
          and (cardinality($3::text[]) = 0 or s.legal_entity = any($3::text[]))
          and not exists (select 1 from u2r.billed_subscriptions b
                           where b.period = $1 and b.subscription_id = s.id)
       on conflict do nothing`,
      [period, runId, entities, this.config.BILLING_RUN_CHUNK, end],
    );
    const [row] = await this.tx.manager.query<{ total: number; chunks: number }[]>(
      `select count(*)::int as total, coalesce(max(chunk) + 1, 0)::int as chunks
         from u2r.billed_subscriptions where run_id = $1`,
      [runId],
    );
    await this.tx.manager.query('update u2r.billing_runs set total = $2 where id = $1', [
      runId,
      row.total,
    ]);
    return row.chunks;
  }

  /**
   * One chunk: each pending subscription's rated usage attached to billing (priced there), its
   * draft invoice, then the drafts finalized in one batch. Answers the chunk's invoiced
   * subscriptions grouped by legal entity and currency, in postings of ERP_POSTING_CHUNK.
   */
  async invoiceChunk(runId: string, period: string, chunk: number): Promise<string[][]> {
    const items = await this.tx.manager.query<Item[]>(
      `select subscription_id, customer_id, legal_entity, currency, status, invoice
         from u2r.billed_subscriptions where run_id = $1 and chunk = $2 order by subscription_id`,
      [runId, chunk],
    );
    const drafts = new Map<string, string>();
    const pending = items.filter((i) => i.status === 'pending');
    await this.attachUsage(period, pending);
    await eachLimited(pending, this.config.BILLING_CONCURRENCY, async (item) => {
      const draft = await this.draft(runId, period, item);
      if (draft) drafts.set(item.subscription_id, draft);
    });
    if (drafts.size > 0) await this.finalize(runId, period, chunk, drafts);
    const invoiced = await this.tx.manager.query<{ subscription_id: string; grp: string }[]>(
      `select subscription_id, legal_entity || '/' || currency as grp from u2r.billed_subscriptions
        where run_id = $1 and chunk = $2 and status in ('invoiced', 'posted')
        order by grp, subscription_id`,
      [runId, chunk],
    );
    const groups = new Map<string, string[]>();
    for (const row of invoiced)
      groups.set(row.grp, [...(groups.get(row.grp) ?? []), row.subscription_id]);
    const size = this.config.ERP_POSTING_CHUNK;
    return [...groups.values()].flatMap((ids) =>
      Array.from({ length: Math.ceil(ids.length / size) }, (_, i) =>
        ids.slice(i * size, (i + 1) * size),
      ),
    );
  }

  /** Sends a POST until it is not refused as "the same key is still running". */
  private async send<T>(
    call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<{ data?: T; error?: unknown; response: Response }> {
    for (let attempt = 0; ; attempt++) {
      const answer = await call();
      const code = (answer.error as { code?: string } | undefined)?.code;
      if (answer.response.status !== 409 || code !== IN_USE || attempt >= 60) return answer;
      await sleep(500);
    }
  }

  /**
   * Sends the rated usage of the chunk's subscriptions to billing as usage lines, in batches of
   * up to 1,000 (billing dedupes each on its sourceRef), and marks each rated row billed with its
   * usage.rated.v1 event, or refused with billing's problem.
   */
  private async attachUsage(period: string, items: readonly Item[]): Promise<void> {
    if (items.length === 0) return;
    const rated = await this.tx.manager.query<(Rated & { subscription_id: string })[]>(
      `select r.id, r.subscription_id, r.meter_code, trim_scale(r.quantity)::text as quantity,
              r.event_count, r.first_event_id, r.last_event_id, r.checksum,
              to_char(s.start_date, 'YYYY-MM-DD') as start_date, to_char(s.end_date, 'YYYY-MM-DD') as end_date
         from u2r.rated_usage r join u2r.billing_subscriptions s on s.id = r.subscription_id
        where r.period = $1 and r.subscription_id = any($2::text[]) and r.status = 'pending'
        order by r.subscription_id, r.meter_code`,
      [period, items.map((i) => i.subscription_id)],
    );
    const start = periodStart(period);
    const end = periodStart(nextPeriod(period));
    const spanOf = (r: Rated): { from: string; to: string } => ({
      from: r.start_date > start ? r.start_date : start,
      to: r.end_date !== null && r.end_date < end ? r.end_date : end,
    });
    // Slices sent BILLING_CONCURRENCY at a time: billing records a slice's lines one after another.
    const size = Math.min(
      USAGE_BATCH,
      Math.max(50, Math.ceil(rated.length / this.config.BILLING_CONCURRENCY)),
    );
    const slices = Array.from({ length: Math.ceil(rated.length / size) }, (_, i) =>
      rated.slice(i * size, (i + 1) * size),
    );
    await eachLimited(slices, this.config.BILLING_CONCURRENCY, async (slice) => {
      const { data, error, response } = await this.send(() =>
        this.apis.billing.POST('/billing/v1/usage-lines/batch', {
          body: {
            lines: slice.map((r) => ({
              subscriptionId: r.subscription_id,
              meter: r.meter_code,
              quantity: r.quantity,
              period: spanOf(r),
              sourceRef: `u2r:${period}:${r.meter_code}`,
            })),
          },
        }),
      );
      if (!data) throw upstreamProblem('billing', response.status, error);
      const ratedAt = new Date().toISOString();
      const billed: {
        id: string;
        price_id: string;
        amount: string;
        currency: string;
        line_id: string;
      }[] = [];
      const refused: { id: string; problem: { code: string; detail: string } }[] = [];
      const events: NewEvent<RatedUsageDto>[] = [];
      slice.forEach((r, k) => {
        const result = data.results.at(k);
        const line = result?.line;
        if (!line) {
          refused.push({
            id: r.id,
            problem: problemOf(result?.problem, result?.problem?.status ?? 502),
          });
          return;
        }
        const span = spanOf(r);
        billed.push({
          id: r.id,
          price_id: line.priceId,
          amount: line.periodAmount,
          currency: line.currency,
          line_id: line.id,
        });
        events.push({
          type: EventTypes.UsageRated,
          subject: r.id,
          data: {
            id: r.id,
            subscriptionId: r.subscription_id,
            meterCode: r.meter_code,
            period: { start: span.from, end: span.to },
            quantity: trimDecimal(r.quantity),
            source: {
              eventCount: r.event_count,
              firstEventId: r.first_event_id,
              lastEventId: r.last_event_id,
              checksum: r.checksum,
            },
            priceId: line.priceId,
            amount: { amount: line.periodAmount, currency: line.currency },
            ratedAt,
          },
        });
      });
      await this.tx.run(async () => {
        if (billed.length > 0)
          await this.tx.manager.query(
            `update u2r.rated_usage u set status = 'billed', price_id = b.price_id, amount = b.amount,
                    currency = b.currency, usage_line_id = b.line_id
               from jsonb_to_recordset($1::jsonb) as b(id uuid, price_id uuid, amount numeric,
                    currency text, line_id uuid)
              where u.id = b.id and u.status = 'pending'`,
            [JSON.stringify(billed)],
          );
        if (refused.length > 0)
          await this.tx.manager.query(
            `update u2r.rated_usage u set status = 'refused', problem = b.problem
               from jsonb_to_recordset($1::jsonb) as b(id uuid, problem jsonb)
              where u.id = b.id`,
            [JSON.stringify(refused)],
          );
        if (events.length > 0) await this.outbox.appendMany(events);
      });
    });
  }

  private async fail(
    period: string,
    subscriptionId: string,
    step: string,
    problem: { code: string; detail: string },
    status: ItemStatus = 'failed',
  ): Promise<void> {
    await this.tx.manager.query(
      `update u2r.billed_subscriptions set status = $3, problem = $4, updated_at = now()
        where period = $1 and subscription_id = $2`,
      [period, subscriptionId, status, JSON.stringify({ step, ...problem })],
    );
  }

  private async draft(runId: string, period: string, item: Item): Promise<string | undefined> {
    const { data, error, response } = await this.send(() =>
      this.apis.billing.POST('/billing/v1/invoices', {
        body: { customerId: item.customer_id, subscriptionId: item.subscription_id },
        headers: { 'idempotency-key': `${runId}:draft:${item.subscription_id}` },
      }),
    );
    if (data) return data.id;
    if (response.status >= 500 || response.status === 409 || response.status === 429)
      throw upstreamProblem('billing', response.status, error);
    const problem = problemOf(error, response.status);
    await this.fail(
      period,
      item.subscription_id,
      'invoice',
      problem,
      problem.code === 'BILLING_NOTHING_TO_INVOICE' ? 'nothing_to_invoice' : 'failed',
    );
    return undefined;
  }

  private async finalize(
    runId: string,
    period: string,
    chunk: number,
    drafts: Map<string, string>,
  ): Promise<void> {
    const ids = [...drafts.values()];
    const bySub = new Map([...drafts].map(([sub, id]) => [id, sub]));
    const key = `${runId}:finalize:${chunk}:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16)}`;
    const { data, error, response } = await this.send(() =>
      this.apis.billing.POST('/billing/v1/invoices/finalize-batch', {
        body: { invoiceIds: ids },
        headers: { 'idempotency-key': key },
      }),
    );
    if (!data) throw upstreamProblem('billing', response.status, error);
    for (const result of data.results) {
      const sub = bySub.get(result.invoiceId) ?? '';
      let invoice = result.invoice;
      if (!invoice && result.problem?.code === 'BILLING_INVOICE_NOT_DRAFT') {
        // Finalized by an earlier attempt whose answer was lost: read it.
        const read = await this.apis.billing.GET('/billing/v1/invoices/{id}', {
          params: { path: { id: result.invoiceId } },
        });
        invoice = read.data;
      }
      if (invoice && invoice.status !== 'draft' && invoice.status !== 'void') {
        await this.tx.manager.query(
          `update u2r.billed_subscriptions set status = 'invoiced', invoice_id = $3, invoice_number = $4,
                  total = $5, invoice = $6, problem = null, updated_at = now()
            where period = $1 and subscription_id = $2 and status = 'pending'`,
          [period, sub, invoice.id, invoice.number ?? null, invoice.total, JSON.stringify(invoice)],
        );
      } else
        await this.fail(
          period,
          sub,
          'finalize',
          result.problem
            ? { code: result.problem.code, detail: result.problem.detail }
            : { code: 'BILLING_NOT_FINALIZED', detail: 'not finalized' },
        );
    }
  }

  /** Posts one invoice to the ERP (its external id is the billing invoice id: posting it again finds it). */
  async postInvoice(period: string, subscriptionId: string): Promise<void> {
    const item = (
      await this.tx.manager.query<Item[]>(
        `select subscription_id, customer_id, legal_entity, currency, status, invoice
           from u2r.billed_subscriptions where period = $1 and subscription_id = $2`,
        [period, subscriptionId],
      )
    ).at(0);
    if (!item || item.status !== 'invoiced' || !item.invoice) return;
    const invoice = item.invoice;
    const document = await this.erpDocument(item, invoice);
    if (!document) {
      await this.tx.manager.query(
        `update u2r.billed_subscriptions set status = 'posted', posting = $3, updated_at = now()
          where period = $1 and subscription_id = $2`,
        [
          period,
          subscriptionId,
          JSON.stringify({ skipped: 'the invoice total is zero: nothing to post' }),
        ],
      );
      return;
    }
    const customer = await this.ensureErpCustomer(item);
    if (!customer.ok) {
      await this.fail(period, subscriptionId, 'post', customer.problem);
      return;
    }
    const { data, error, response } = await this.apis.erp.POST('/erp/v1/invoices', {
      body: { ...document.body, customerExternalId: customer.externalId },
      // The ERP dedupes by external id: safe to retry.
      headers: idempotentHint,
    });
    if (!data) {
      if (
        response.status >= 500 ||
        response.status === 429 ||
        (response.status === 409 &&
          (error as { code?: string } | undefined)?.code === 'CONCURRENT_UPDATE')
      )
        throw upstreamProblem('erp', response.status, error);
      await this.fail(period, subscriptionId, 'post', problemOf(error, response.status));
      return;
    }
    const posting = {
      number: data.number,
      postingPeriod: data.period,
      lines: data.lines.map((l) => ({
        itemCode: l.itemCode,
        accountCode: l.accountCode,
        deferred: l.deferred,
        amount: l.amount,
      })),
      ledger: data.ledger,
    };
    const schedules = await this.revenue.plan({
      subscriptionId,
      customerId: item.customer_id,
      legalEntity: item.legal_entity,
      invoice,
      charges: document.charges,
      posted: data,
      products: document.products,
    });
    // The posting and its revenue schedules commit together: a posted line has one schedule.
    await this.tx.run(async () => {
      await this.tx.manager.query(
        `update u2r.billed_subscriptions set status = 'posted', posting = $3, problem = null, updated_at = now()
          where period = $1 and subscription_id = $2`,
        [period, subscriptionId, JSON.stringify(posting)],
      );
      await this.revenue.record(schedules);
    });
  }

  private async ensureErpCustomer(
    item: Item,
  ): Promise<
    { ok: true; externalId: string } | { ok: false; problem: { code: string; detail: string } }
  > {
    const customer = (
      await this.tx.manager.query<
        {
          id: string;
          external_id: string | null;
          name: string;
          payment_terms: string;
          country: string | null;
          currency: string;
        }[]
      >(
        'select id, external_id, name, payment_terms, country, currency from u2r.billing_customers where id = $1',
        [item.customer_id],
      )
    ).at(0);
    const externalId = customer?.external_id ?? item.customer_id;
    const known = await this.tx.manager.query<unknown[]>(
      'select 1 from u2r.erp_customers where legal_entity = $1 and external_id = $2',
      [item.legal_entity, externalId],
    );
    if (known.length > 0) return { ok: true, externalId };
    const { data, error, response } = await this.apis.erp.PUT(
      '/erp/v1/customers/{legalEntity}/{externalId}',
      {
        params: { path: { legalEntity: item.legal_entity, externalId } },
        body: {
          name: customer?.name ?? item.customer_id,
          paymentTerms: (customer?.payment_terms ??
            'net_30') as erp.components['schemas']['UpsertCustomerRequest']['paymentTerms'],
          currency: item.currency,
          ...(customer?.country ? { country: customer.country } : {}),
        },
      },
    );
    if (!data) {
      if (response.status >= 500 || response.status === 429)
        throw upstreamProblem('erp', response.status, error);
      return { ok: false, problem: problemOf(error, response.status) };
    }
    await this.tx.manager.query(
      `insert into u2r.erp_customers (legal_entity, external_id, ensured_at) values ($1, $2, now())
       on conflict do nothing`,
      [item.legal_entity, externalId],
    );
    return { ok: true, externalId };
  }

  /** The billing invoice as an AR invoice: a line per charge, net of its discounts, with its tax. */
  private async erpDocument(
    item: Item,
    invoice: Invoice,
  ): Promise<
    | {
        body: Omit<ErpInvoice, 'customerExternalId'>;
        charges: Invoice['lines'];
        products: Map<string, ProductRevenue>;
      }
    | undefined
  > {
    if (!new MoneyDecimal(invoice.total).gt(0)) return undefined;
    const products = await this.products(
      invoice.lines.flatMap((l) => (l.productId ? [l.productId] : [])),
    );
    const skus = new Map([...products].flatMap(([id, p]) => (p.sku ? [[id, p.sku] as const] : [])));
    const charges = invoice.lines.filter((l) => l.type !== 'tax' && l.type !== 'discount');
    const lines = charges.map((line) => {
      const related = invoice.lines.filter((l) => l.appliesToLineId === line.id);
      const net = related
        .filter((l) => l.type === 'discount')
        .reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(line.amount));
      const tax = related
        .filter((l) => l.type === 'tax')
        .reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
      const quantity =
        line.quantity !== undefined && new MoneyDecimal(line.quantity).gt(0) ? line.quantity : '1';
      return {
        itemCode:
          (line.productId ? skus.get(line.productId) : undefined) ?? line.productId ?? 'UNMAPPED',
        description: line.description.slice(0, 255),
        quantity,
        amount: net.toFixed(),
        ...(tax.isZero() ? {} : { taxAmount: tax.toFixed() }),
        ...(line.taxCode ? { taxCode: line.taxCode } : {}),
        ...(line.servicePeriod
          ? { servicePeriod: { start: line.servicePeriod.from, end: line.servicePeriod.to } }
          : {}),
      };
    });
    return {
      body: {
        legalEntity: item.legal_entity,
        externalId: invoice.id,
        ...(invoice.number ? { reference: invoice.number } : {}),
        date: invoice.issueDate ?? new Date().toISOString().slice(0, 10),
        ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
        currency: invoice.currency,
        memo: `Invoice ${invoice.number ?? invoice.id}`,
        lines,
      },
      charges,
      products,
    };
  }

  /**
   * Product id → its sku (the ERP's item code), family and one-time recognition, read from
   * billing once per product.
   */
  private async products(
    productIds: string[],
  ): Promise<Map<string, ProductRevenue & { sku: string | null }>> {
    const ids = [...new Set(productIds)];
    const known = await this.tx.manager.query<
      {
        id: string;
        sku: string | null;
        family: string | null;
        one_time_recognition: string | null;
      }[]
    >(
      'select id, sku, family, one_time_recognition from u2r.billing_products where id = any($1::text[])',
      [ids],
    );
    const found = new Set(known.map((k) => k.id));
    for (const id of ids.filter((i) => !found.has(i))) {
      const { data, error, response } = await this.apis.billing.GET('/billing/v1/products/{id}', {
        params: { path: { id } },
      });
      if (!data) throw upstreamProblem('billing', response.status, error);
      await this.tx.manager.query(
        `insert into u2r.billing_products (id, sku, name, family, one_time_recognition)
         values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [id, data.sku ?? null, data.name, data.family, data.oneTimeRecognition],
      );
      known.push({
        id,
        sku: data.sku ?? null,
        family: data.family,
        one_time_recognition: data.oneTimeRecognition,
      });
    }
    return new Map(
      known.map((k) => [
        k.id,
        {
          sku: k.sku,
          family: k.family ?? 'general',
          oneTimeRecognition: k.one_time_recognition === 'ratable' ? 'ratable' : 'point_in_time',
        },
      ]),
    );
  }

  async complete(runId: string): Promise<void> {
    await this.tx.manager.query(
      `update u2r.billing_runs set status = 'completed', completed_at = now() where id = $1`,
      [runId],
    );
  }

  async failRun(runId: string, error: string): Promise<void> {
    await this.tx.manager.query(
      `update u2r.billing_runs set status = 'failed', error = $2, completed_at = now() where id = $1`,
      [runId, error.slice(0, 1000)],
    );
  }
}
