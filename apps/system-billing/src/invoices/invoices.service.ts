import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@revgate/auth';
import {
  EventTypes,
  fitsCurrencyMinorUnits,
  MoneyDecimal,
  PAYMENT_TERM_DAYS,
  roundMoney,
} from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import {
  ApiError,
  expectedVersion,
  Page,
  staleWrite,
  validationProblem,
  keysetPage,
  keysetWindow,
  toItemProblem,
} from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { withEngine } from '../billing.guards';
import { toInvoiceResponse } from '../billing.mappers';
import { CreditLedger } from '../credit-memos/credit-ledger';
import {
  BILLING_PROVIDER,
  type BillingCustomer,
  type BillingInvoice,
  type BillingInvoiceLine,
  type BillingPrice,
  type BillingProduct,
  type BillingProvider,
  type BillingSubscription,
  type InvoiceFinalization,
  type NewInvoiceLine,
  type PendingFinalization,
} from '../providers/billing-provider.port';
import type { TaxableLine, TaxOutcome } from '../providers/tax.port';
import { addDays, utcDay } from '../subscriptions/billing-periods';
import { nextBillingSpan, recurringLines } from '../subscriptions/subscription-billing';
import {
  invoiceTotals,
  NegativeTaxBaseError,
  taxableLines,
  taxStatusOf,
  withTax,
} from '../tax/invoice-tax';
import { TaxService } from '../tax/tax.service';
import {
  CreateInvoiceRequest,
  FinalizeInvoicesResponse,
  InvoiceFinalizationResult,
  InvoiceResponse,
  ListInvoicesQuery,
  OneTimeLineRequest,
  VoidInvoiceRequest,
} from './dto/invoice.dto';

/** One invoice's result in a batch finalization: the finalized invoice, or why not. */
export interface FinalizationResult {
  invoiceId: string;
  invoice?: InvoiceResponse;
  error?: ApiError;
}

/** A draft whose finalization is begun: what step (1) fixed, and its charge lines. */
interface BegunFinalization {
  draft: BillingInvoice;
  pending: PendingFinalization;
  base: NewInvoiceLine[];
}

interface TaxedLines {
  lines: NewInvoiceLine[];
  totals: { subtotal: string; totalTax: string; total: string };
  status: ReturnType<typeof taxStatusOf>;
  notes: string[];
}

const notFound = (id: string): ApiError =>
  new ApiError(404, BillingErrorCode.INVOICE_NOT_FOUND, `Invoice ${id} does not exist.`);

/** A stored line as a line to store again (finalization rewrites the lines with their tax). */
function asNew(line: BillingInvoiceLine): NewInvoiceLine {
  const { createdAt: _createdAt, ...rest } = line;
  return rest;
}

/**
 * Invoices: drafts assembled from a subscription's next period, the lines waiting for it
 * (prorations, usage) and one-time lines; finalization (number, committed tax, immutable); void;
 * uncollectible.
 */
@Injectable()
export class InvoicesService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly tax: TaxService,
    private readonly ledger: CreditLedger,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * A draft invoice. With a subscription it bills the next period not yet invoiced (once it has
   * begun) and takes every line waiting for the subscription's next invoice. Its tax is quoted.
   */
  async create(caller: Principal, request: CreateInvoiceRequest): Promise<InvoiceResponse> {
    return this.tx.run(async () => {
      const customer = await this.billing.getCustomer(request.customerId, {
        legalEntities: caller.legalEntities,
        lock: true,
      });
      if (!customer)
        throw new ApiError(
          422,
          BillingErrorCode.CUSTOMER_NOT_FOUND,
          `Customer ${request.customerId} does not exist.`,
          { errors: [{ pointer: '/customerId', detail: 'no such customer' }] },
        );
      const today = utcDay();
      const lines: NewInvoiceLine[] = [];
      const pendingLineIds: string[] = [];
      let billed: { sub: BillingSubscription; through: string } | undefined;
      if (request.subscriptionId !== undefined) {
        const sub = await this.billing.getSubscription(request.subscriptionId, {
          legalEntities: caller.legalEntities,
          lock: true,
        });
        if (!sub || sub.customerId !== customer.id)
          throw new ApiError(
            422,
            BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
            `Customer ${customer.id} has no subscription ${request.subscriptionId}.`,
            {
              errors: [
                { pointer: '/subscriptionId', detail: 'no such subscription of the customer' },
              ],
            },
          );
        const next = nextBillingSpan(sub, today);
        if (next) {
          lines.push(
            ...(await this.withCatalog(sub, (prices, products) =>
              withEngine(() =>
                recurringLines({ sub, ...next, prices, products, newId: randomUUID }),
              ),
            )),
          );
          billed = { sub, through: next.span.to };
        }
        for (const pending of await this.billing.pendingLines(sub.id)) {
          lines.push(asNew(pending));
          pendingLineIds.push(pending.id);
        }
      }
      lines.push(...(await this.oneTimeLines(customer, request.oneTimeLines ?? [])));
      if (lines.length === 0)
        throw new ApiError(
          422,
          BillingErrorCode.NOTHING_TO_INVOICE,
          request.subscriptionId === undefined
            ? 'The invoice has no line: name a subscription or send one-time lines.'
            : `Nothing to invoice for subscription ${request.subscriptionId} yet: its next period has not begun (or it has ended) and no line is waiting.`,
        );
      const id = randomUUID();
      const taxed = await this.taxed(customer, lines, today);
      const invoice = await this.billing.createInvoice({
        id,
        customerId: customer.id,
        subscriptionId: request.subscriptionId,
        legalEntity: customer.legalEntity,
        currency: customer.currency,
        paymentTerms: customer.paymentTerms,
        memo: request.memo,
        lines: taxed.lines,
        pendingLineIds,
        ...taxed.totals,
        taxStatus: taxed.status,
        taxNotes: taxed.notes,
      });
      if (billed)
        await this.billing.updateSubscription(billed.sub.id, { billedThrough: billed.through }, {});
      return toInvoiceResponse(invoice);
    });
  }

  async get(caller: Principal, id: string): Promise<InvoiceResponse> {
    const invoice = await this.billing.getInvoice(id, { legalEntities: caller.legalEntities });
    if (!invoice) throw notFound(id);
    return toInvoiceResponse(invoice);
  }

  async list(caller: Principal, query: ListInvoicesQuery): Promise<Page<InvoiceResponse>> {
    const slice = await this.billing.listInvoices({
      ...keysetWindow(query, caller.legalEntities),
      customerId: query.customerId,
      subscriptionId: query.subscriptionId,
      status: query.status,
    });
    return keysetPage(slice, toInvoiceResponse);
  }

  /**
   * draft → finalized: issued on the day finalization began, due after the payment terms, numbered
   * gap-free per legal entity and year, its tax committed to the tax system under the invoice id,
   * immutable from then on. The customer's unapplied credit is applied. Emits
   * billing.invoice.finalized.v1 (and .paid.v1 when nothing is left to pay). A batch of one.
   */
  async finalize(caller: Principal, id: string, ifMatch?: string): Promise<InvoiceResponse> {
    const [result] = await this.finalizeMany(caller, [id], expectedVersion(ifMatch));
    if (result.error) throw result.error;
    if (!result.invoice) throw new Error(`finalization of invoice ${id} answered nothing`);
    return result.invoice;
  }

  /** finalizeMany, answered as the batch endpoint shows it. */
  async finalizeBatch(
    caller: Principal,
    ids: readonly string[],
  ): Promise<FinalizeInvoicesResponse> {
    const results: InvoiceFinalizationResult[] = (await this.finalizeMany(caller, ids)).map((r) =>
      r.invoice
        ? { invoiceId: r.invoiceId, outcome: 'finalized', invoice: r.invoice }
        : {
            invoiceId: r.invoiceId,
            outcome: 'failed',
            ...(r.error ? { problem: toItemProblem(r.error) } : {}),
          },
    );
    const finalized = results.filter((r) => r.outcome === 'finalized').length;
    return { results, finalized, failed: results.length - finalized };
  }

  /**
   * Finalizes drafts together, each exactly as `finalize` would, answering each one's result in
   * order: the finalized invoice, or the error that invoice alone would have got (not found, not a
   * draft, refused by the tax system, a stale version). A tax system that cannot be reached fails
   * the whole call (503), and every draft stays a draft.
   *
   * Three steps, so that no database transaction waits on the tax system and no crash can leave
   * the two disagreeing: (1) fix each draft's issue date and tax document; (2) commit the documents
   * to the tax system, outside any transaction, in as few calls as it allows; (3) number and
   * finalize, set-based, in one transaction. A retry after a failure at (2) or (3) resumes from
   * what (1) recorded and commits the same documents again, which the tax system answers with the
   * transactions it already has.
   */
  async finalizeMany(
    caller: Principal,
    ids: readonly string[],
    expectedVersion?: number,
  ): Promise<FinalizationResult[]> {
    const errors = new Map<string, ApiError>();
    const collect = (id: string, e: unknown): void => {
      if (!(e instanceof ApiError)) throw e;
      errors.set(id, e);
    };

    const begun = await this.tx.run(async () => {
      const drafts = new Map(
        (
          await this.billing.getInvoices(ids, { legalEntities: caller.legalEntities, lock: true })
        ).map((d) => [d.id, d]),
      );
      const fresh = [...drafts.values()].filter((d) => !d.pendingFinalization);
      const customers = new Map(
        (await this.billing.getCustomers([...new Set(fresh.map((d) => d.customerId))])).map((c) => [
          c.id,
          c,
        ]),
      );
      const codes = await this.itemCodes(fresh.flatMap((d) => d.lines));
      const ready: BegunFinalization[] = [];
      const toBegin: { id: string; pending: PendingFinalization }[] = [];
      for (const id of ids) {
        try {
          const draft = drafts.get(id);
          if (!draft) throw notFound(id);
          if (expectedVersion !== undefined && expectedVersion !== draft.version)
            throw staleWrite('invoice', draft.version);
          this.assertDraft(draft);
          const base = draft.lines.filter((l) => l.type !== 'tax').map(asNew);
          if (draft.pendingFinalization) {
            ready.push({ draft, pending: draft.pendingFinalization, base });
            continue;
          }
          const customer = customers.get(draft.customerId);
          if (!customer)
            throw new Error(`customer ${draft.customerId} of invoice ${draft.id} is missing`);
          const issueDate = utcDay();
          const taxable = this.taxBase(customer, base, codes);
          const pending: PendingFinalization = {
            issueDate,
            ...(taxable.length
              ? { taxDocument: this.tax.document(customer, issueDate, taxable) }
              : {}),
          };
          toBegin.push({ id, pending });
          ready.push({ draft, pending, base });
        } catch (e) {
          collect(id, e);
        }
      }
      await this.billing.beginFinalizations(toBegin);
      return ready;
    });

    const committed = await this.tax.commitDocuments(
      begun.map(({ draft, pending }) => ({
        code: draft.id,
        currency: draft.currency,
        ...(pending.taxDocument ? { document: pending.taxDocument } : {}),
      })),
    );

    const finalized = await this.tx.run(async () => {
      const drafts = new Map(
        (
          await this.billing.getInvoices(
            begun.map((b) => b.draft.id),
            { lock: true },
          )
        ).map((d) => [d.id, d]),
      );
      const items: { id: string; finalization: InvoiceFinalization }[] = [];
      begun.forEach(({ draft: { id }, pending, base }, i) => {
        try {
          const result = committed[i];
          if (!result.ok) throw result.error;
          const draft = drafts.get(id);
          if (!draft) throw notFound(id);
          // A concurrent finalization of the same draft may have finished first.
          this.assertDraft(draft);
          const taxed = this.applyTax(base, result.outcome, draft.currency, id);
          items.push({
            id,
            finalization: {
              issueDate: pending.issueDate,
              dueDate: addDays(pending.issueDate, PAYMENT_TERM_DAYS[draft.paymentTerms]),
              lines: taxed.lines,
              ...taxed.totals,
              taxStatus: taxed.status,
              taxTransactionCode: taxed.status === 'committed' ? id : undefined,
              taxNotes: taxed.notes,
            },
          });
        } catch (e) {
          collect(id, e);
        }
      });
      const done = await this.billing.finalizeInvoices(items);
      await this.outbox.appendMany(
        done.flatMap((invoice) => {
          const response = toInvoiceResponse(invoice);
          return [
            { type: EventTypes.InvoiceFinalized, subject: invoice.id, data: response },
            ...(invoice.status === 'paid'
              ? [{ type: EventTypes.InvoicePaid, subject: invoice.id, data: response }]
              : []),
          ];
        }),
      );
      const open = done.filter((invoice) => invoice.status !== 'paid');
      const withCredit = await this.billing.customersWithUnappliedCredit([
        ...new Set(open.map((invoice) => invoice.customerId)),
      ]);
      const credited = open.filter((invoice) => withCredit.has(invoice.customerId));
      for (const invoice of credited) await this.ledger.applyCustomerCredit(invoice);
      const reloaded = new Map(
        (await this.billing.getInvoices(credited.map((invoice) => invoice.id))).map((i) => [
          i.id,
          i,
        ]),
      );
      return new Map(done.map((invoice) => [invoice.id, reloaded.get(invoice.id) ?? invoice]));
    });

    return ids.map((id): FinalizationResult => {
      const invoice = finalized.get(id);
      if (invoice) return { invoiceId: id, invoice: toInvoiceResponse(invoice) };
      const error = errors.get(id);
      if (!error) throw new Error(`invoice ${id} was neither finalized nor refused`);
      return { invoiceId: id, error };
    });
  }

  /**
   * Voids a finalized or uncollectible invoice with nothing paid or credited, and voids its tax
   * transaction. Emits billing.invoice.voided.v1.
   */
  async void(
    caller: Principal,
    id: string,
    request: VoidInvoiceRequest,
    ifMatch?: string,
  ): Promise<InvoiceResponse> {
    const expected = expectedVersion(ifMatch);
    return this.tx.run(async () => {
      const invoice = await this.locked(caller, id, expected);
      const voided = await this.billing.voidInvoice(id, request.reason, {
        expectedVersion: expected,
      });
      if (invoice.taxStatus === 'committed' && invoice.taxTransactionCode)
        await this.tax.void(
          invoice.legalEntity,
          invoice.taxTransactionCode,
          request.reason ?? 'Invoice voided',
        );
      const response = toInvoiceResponse(voided);
      await this.outbox.append(EventTypes.InvoiceVoided, voided.id, response);
      return response;
    });
  }

  /** finalized → uncollectible (written off; payments still apply). */
  async markUncollectible(
    caller: Principal,
    id: string,
    ifMatch?: string,
  ): Promise<InvoiceResponse> {
    const expected = expectedVersion(ifMatch);
    return this.tx.run(async () => {
      await this.locked(caller, id, expected);
      const marked = await this.billing.markUncollectible(id, { expectedVersion: expected });
      const response = toInvoiceResponse(marked);
      await this.outbox.append(EventTypes.InvoiceMarkedUncollectible, marked.id, response);
      return response;
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async locked(
    caller: Principal,
    id: string,
    expected: number | undefined,
  ): Promise<BillingInvoice> {
    const invoice = await this.billing.getInvoice(id, {
      legalEntities: caller.legalEntities,
      lock: true,
    });
    if (!invoice) throw notFound(id);
    if (expected !== undefined && expected !== invoice.version)
      throw staleWrite('invoice', invoice.version);
    return invoice;
  }

  private async withCatalog<T>(
    sub: BillingSubscription,
    work: (
      prices: ReadonlyMap<string, BillingPrice>,
      products: ReadonlyMap<string, BillingProduct>,
    ) => T,
  ): Promise<T> {
    const prices = await this.billing.getPrices(sub.items.map((i) => i.priceId));
    const products = await this.billing.getProducts(sub.items.map((i) => i.productId));
    return work(new Map(prices.map((p) => [p.id, p])), new Map(products.map((p) => [p.id, p])));
  }

  private async oneTimeLines(
    customer: BillingCustomer,
    requests: OneTimeLineRequest[],
  ): Promise<NewInvoiceLine[]> {
    const lines: NewInvoiceLine[] = [];
    for (const [i, request] of requests.entries()) {
      const pointer = `/oneTimeLines/${i}`;
      if (request.servicePeriod && request.servicePeriod.to <= request.servicePeriod.from)
        throw validationProblem([
          {
            pointer: `${pointer}/servicePeriod/to`,
            detail: 'servicePeriod.to must be after from (it is exclusive)',
          },
        ]);
      const product = await this.billing.getProduct(request.productId);
      if (!product)
        throw new ApiError(
          422,
          BillingErrorCode.PRODUCT_NOT_FOUND,
          `oneTimeLines[${i}]: product ${request.productId} does not exist.`,
          { errors: [{ pointer: `${pointer}/productId`, detail: 'no such product' }] },
        );
      if (!product.active)
        throw new ApiError(
          422,
          BillingErrorCode.PRODUCT_INACTIVE,
          `oneTimeLines[${i}]: product ${product.name} is inactive and cannot be sold.`,
          { errors: [{ pointer: `${pointer}/productId`, detail: 'inactive product' }] },
        );
      const id = randomUUID();
      const gross = new MoneyDecimal(request.quantity).times(request.unitAmount);
      const description = request.description ?? product.name;
      const line: NewInvoiceLine = {
        id,
        customerId: customer.id,
        type: 'one_time',
        description,
        productId: product.id,
        quantity: request.quantity,
        unitAmount: request.unitAmount,
        amount: roundMoney(gross, customer.currency),
        ...(request.servicePeriod ? { servicePeriod: { ...request.servicePeriod } } : {}),
        proration: false,
        source: { kind: 'manual', ...(request.reference ? { reference: request.reference } : {}) },
        taxCode: product.taxCode,
      };
      this.assertFits(line.amount, `${pointer}/unitAmount`);
      lines.push(line);
      if (
        request.discountPercent !== undefined &&
        !new MoneyDecimal(request.discountPercent).isZero()
      ) {
        // The discount is rounded on its own line: the net is gross − discount, both in minor units.
        const discount = roundMoney(
          new MoneyDecimal(line.amount).times(request.discountPercent).dividedBy(100),
          customer.currency,
        );
        lines.push({
          id: randomUUID(),
          customerId: customer.id,
          type: 'discount',
          description:
            `Discount ${new MoneyDecimal(request.discountPercent).toFixed()}% on ${description}`.slice(
              0,
              500,
            ),
          productId: product.id,
          amount: roundMoney(new MoneyDecimal(discount).negated(), customer.currency),
          proration: false,
          source: {
            kind: 'manual',
            ...(request.reference ? { reference: request.reference } : {}),
          },
          appliesToLineId: id,
        });
      }
    }
    return lines;
  }

  /** The sandbox stores amounts as numeric(24,4): at most 20 digits before the point. */
  private assertFits(amount: string, pointer: string): void {
    if (new MoneyDecimal(amount).abs().gte(new MoneyDecimal('1e20')))
      throw validationProblem([{ pointer, detail: 'the line amount is too large' }]);
  }

  private assertDraft(invoice: BillingInvoice): void {
    if (invoice.status !== 'draft')
      throw new ApiError(
        409,
        BillingErrorCode.INVOICE_NOT_DRAFT,
        `Invoice ${invoice.number ?? invoice.id} is already ${invoice.status}; only a draft can be finalized.`,
      );
  }

  /** The draft lines with their quoted tax, totals and tax status. */
  private async taxed(
    customer: BillingCustomer,
    lines: NewInvoiceLine[],
    date: string,
  ): Promise<TaxedLines> {
    const base = lines.filter((l) => l.type !== 'tax');
    const outcome = await this.tax.quote(
      customer,
      date,
      this.taxBase(customer, base, await this.itemCodes(base)),
    );
    return this.applyTax(base, outcome, customer.currency, undefined);
  }

  /** The taxable lines of an invoice's charge lines; refuses what cannot be invoiced. */
  private taxBase(
    customer: BillingCustomer,
    base: readonly NewInvoiceLine[],
    itemCodes: ReadonlyMap<string, string>,
  ): TaxableLine[] {
    const preliminary = invoiceTotals(base, customer.currency);
    if (new MoneyDecimal(preliminary.subtotal).isNegative())
      throw new ApiError(
        422,
        BillingErrorCode.AMOUNT_INVALID,
        `The invoice would total ${preliminary.subtotal} ${customer.currency}: an amount owed to the customer is a credit memo, not an invoice.`,
      );
    try {
      return taxableLines(base, itemCodes);
    } catch (e) {
      if (e instanceof NegativeTaxBaseError)
        throw new ApiError(
          422,
          BillingErrorCode.AMOUNT_INVALID,
          `The lines of tax code ${e.taxCodes.join(', ')} net below zero; issue a credit memo for them instead.`,
        );
      throw e;
    }
  }

  /** The charge lines with the tax lines of `outcome` (committed under `code` when given). */
  private applyTax(
    base: NewInvoiceLine[],
    outcome: TaxOutcome,
    currency: string,
    code: string | undefined,
  ): TaxedLines {
    const taxedLines = withTax(
      base,
      outcome,
      currency,
      randomUUID,
      code !== undefined && outcome.calculated ? code : undefined,
    );
    for (const line of taxedLines)
      if (!fitsCurrencyMinorUnits(line.amount, currency))
        throw new Error(`line ${line.id} has more decimals than ${currency}`);
    return {
      lines: taxedLines,
      totals: invoiceTotals(taxedLines, currency),
      status: taxStatusOf(outcome, code !== undefined),
      notes: outcome.notes,
    };
  }

  /** Products' skus, sent to the tax system as item codes. */
  private async itemCodes(lines: readonly NewInvoiceLine[]): Promise<Map<string, string>> {
    const ids = [...new Set(lines.flatMap((l) => (l.productId ? [l.productId] : [])))];
    return new Map(
      (await this.billing.getProducts(ids)).flatMap((p) => (p.sku ? [[p.id, p.sku] as const] : [])),
    );
  }
}
