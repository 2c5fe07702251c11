import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '@revgate/auth';
import { amendmentRequestProblems, EventTypes, MoneyDecimal, roundMoney } from '@revgate/canonical';
import type { AmendmentOutcome, CreateAmendmentRequest } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, expectedVersion, staleWrite } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { assertNoProblems, withEngine } from '../billing.guards';
import { toAmendmentResponse } from '../billing.mappers';
import { CreditLedger } from '../credit-memos/credit-ledger';
import {
  chargeForSpan,
  prorate,
  type BillingPeriod,
  type ProrationItem,
  type ProrationLine,
} from '../proration';
import {
  BILLING_PROVIDER,
  type AmendmentLine,
  type AmendmentRecord,
  type BillingPrice,
  type BillingProduct,
  type BillingProvider,
  type BillingSubscription,
  type BillingSubscriptionItem,
  type NewInvoiceLine,
  type SubscriptionChanges,
} from '../providers/billing-provider.port';
import { maxDate, minDate, utcDay } from '../subscriptions/billing-periods';
import { PriceResolver } from '../subscriptions/price-resolver';
import {
  assertBillable,
  describeItem,
  describeSpan,
  invoicedPeriod,
  periodOf,
  periodPriceOf,
  prorationItemOf,
} from '../subscriptions/subscription-billing';
import { TaxService } from '../tax/tax.service';
import { AmendmentResponse } from './dto/amendment.dto';

type ItemTerms = Omit<BillingSubscriptionItem, 'id'> & { id?: string };

/** What an amendment changes and the prorated lines it produces. */
interface Plan {
  effectiveDate: string;
  changes: SubscriptionChanges;
  lines: AmendmentLine[];
}

/** A licensed item with what it costs, for prorating. */
interface Priced {
  itemId: string;
  price: BillingPrice;
  product: BillingProduct;
  quantity: string;
  proration: ProrationItem;
}

function invalid(detail: string, pointer?: string): ApiError {
  return new ApiError(
    422,
    BillingErrorCode.AMENDMENT_INVALID,
    detail,
    pointer ? { errors: [{ pointer, detail }] } : {},
  );
}

function badDate(detail: string): ApiError {
  return new ApiError(422, BillingErrorCode.AMENDMENT_DATE_INVALID, detail, {
    errors: [{ pointer: '/effectiveDate', detail }],
  });
}

/**
 * Amends subscriptions: upgrade, downgrade, quantity change, an item added and co-termed, renewal,
 * cancellation now or at the end of the period.
 *
 * The declared rules (with proration.engine.ts's day-based rule):
 * - A change takes effect at the start of its effective day D, within the period last invoiced
 *   ([current period start, billedThrough)) or from its end. Within it, the unused days [D, end of
 *   period) are prorated: the old terms credited, the new ones charged, each line rounded on its own.
 *   From the end of it, nothing is prorated: the next invoice bills the new terms. An item added or a
 *   cancellation may also take effect later (the next invoices bill up to D, or from D, by days);
 *   a change of an item's price or quantity may not (invoice the period first).
 * - Net charge (≥ 0): the lines wait for the subscription's next invoice, each credit applying to
 *   the charge of the same item. Net credit: a credit memo for it, with its tax, applied to the
 *   subscription's open invoices, the rest kept as the customer's credit.
 * - A canceled subscription cannot be amended (409 BILLING_SUBSCRIPTION_CANCELED).
 */
@Injectable()
export class AmendmentsService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly prices: PriceResolver,
    private readonly ledger: CreditLedger,
    private readonly tax: TaxService,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  async amend(
    caller: Principal,
    subscriptionId: string,
    request: CreateAmendmentRequest,
    ifMatch?: string,
  ): Promise<AmendmentResponse> {
    assertNoProblems(amendmentRequestProblems(request));
    const expected = expectedVersion(ifMatch);
    return this.tx.run(async () => {
      const sub = await this.billing.getSubscription(subscriptionId, {
        legalEntities: caller.legalEntities,
        lock: true,
      });
      if (!sub)
        throw new ApiError(
          404,
          BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
          `Subscription ${subscriptionId} does not exist.`,
        );
      if (expected !== undefined && expected !== sub.version)
        throw staleWrite('subscription', sub.version);
      if (sub.status === 'canceled')
        throw new ApiError(
          409,
          BillingErrorCode.SUBSCRIPTION_CANCELED,
          `Subscription ${sub.id} is canceled${sub.endDate ? ` (ended ${sub.endDate})` : ''}; a canceled subscription cannot be amended.`,
        );
      const today = utcDay();
      const plan = await this.plan(sub, request, today);
      const behavior = request.prorationBehavior ?? 'create_prorations';
      const lines = behavior === 'none' ? [] : plan.lines;
      const total = lines.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
      const id = randomUUID();
      const updated = await this.billing.updateSubscription(sub.id, plan.changes, {});
      let outcome: AmendmentOutcome = 'none';
      let creditMemoId: string | undefined;
      if (lines.length > 0 && total.gte(0)) {
        await this.billing.addPendingLines(await this.pendingLines(sub, id, lines));
        outcome = 'invoice_lines';
      } else if (lines.length > 0) {
        creditMemoId = await this.creditMemo(sub, id, plan.effectiveDate, lines, today);
        outcome = 'credit_memo';
      }
      const record: AmendmentRecord = {
        id,
        subscriptionId: sub.id,
        type: request.type,
        effectiveDate: plan.effectiveDate,
        prorationBehavior: behavior,
        currency: sub.currency,
        lines,
        total: roundMoney(total, sub.currency),
        outcome,
        creditMemoId,
        createdBy: caller.subject,
        createdAt: new Date(),
      };
      await this.billing.recordAmendment(record);
      const response = toAmendmentResponse(record, updated);
      const canceling = request.type === 'cancel_now' || request.type === 'cancel_at_period_end';
      await this.outbox.append(
        canceling ? EventTypes.SubscriptionCanceled : EventTypes.SubscriptionAmended,
        sub.id,
        response,
      );
      return response;
    });
  }

  async list(caller: Principal, subscriptionId: string): Promise<AmendmentResponse[]> {
    const sub = await this.billing.getSubscription(subscriptionId, {
      legalEntities: caller.legalEntities,
    });
    if (!sub)
      throw new ApiError(
        404,
        BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
        `Subscription ${subscriptionId} does not exist.`,
      );
    return (await this.billing.listAmendments(sub.id)).map((a) => toAmendmentResponse(a));
  }

  // ---- planning --------------------------------------------------------------------------------

  private async plan(
    sub: BillingSubscription,
    request: CreateAmendmentRequest,
    today: string,
  ): Promise<Plan> {
    if (request.type === 'cancel_at_period_end') return this.cancelAtPeriodEnd(sub, today);
    if (request.type === 'renewal') return this.renewal(sub, request.periods ?? 1);
    const day = request.effectiveDate ?? today;
    if (day < sub.startDate)
      throw badDate(`effectiveDate ${day} is before the subscription starts (${sub.startDate}).`);
    if (sub.endDate !== undefined && day >= sub.endDate)
      throw badDate(
        `effectiveDate ${day} is on or after the day the subscription ends (${sub.endDate}).`,
      );
    const invoiced = invoicedPeriod(sub);
    if (invoiced && day < invoiced.start)
      throw badDate(
        `effectiveDate ${day} is before the period last invoiced (${invoiced.start} to ${invoiced.end}); changes take effect in it or later.`,
      );
    switch (request.type) {
      case 'add_item':
        return this.addItem(sub, request, day);
      case 'cancel_now':
        return this.cancelNow(sub, day, today);
      default:
        return this.changeItem(sub, request, day);
    }
  }

  private cancelAtPeriodEnd(sub: BillingSubscription, today: string): Plan {
    let end = periodOf(sub, maxDate(today, sub.startDate)).end;
    end = maxDate(end, sub.billedThrough);
    if (sub.endDate !== undefined) end = minDate(end, sub.endDate);
    return {
      effectiveDate: end,
      changes: { endDate: end, cancelAtPeriodEnd: true, canceledAt: new Date() },
      lines: [],
    };
  }

  private renewal(sub: BillingSubscription, periods: number): Plan {
    const end = sub.endDate;
    if (end === undefined)
      throw invalid('The subscription has no end date: it renews by itself every period.');
    if (periodOf(sub, end).start !== end)
      throw invalid(
        `The subscription ends on ${end}, which is not a renewal day; a term ending mid-period cannot be renewed.`,
      );
    let next = end;
    for (let i = 0; i < periods; i++) next = periodOf(sub, next).end;
    return {
      effectiveDate: end,
      changes: { endDate: next, cancelAtPeriodEnd: false },
      lines: [],
    };
  }

  private async addItem(
    sub: BillingSubscription,
    request: CreateAmendmentRequest,
    day: string,
  ): Promise<Plan> {
    const { price, product } = await this.prices.recurring(request.priceId ?? '', sub, '/priceId');
    PriceResolver.checkQuantity(price, request.quantity, '/quantity');
    this.assertNotDuplicated(sub, price, undefined);
    const item: ItemTerms = {
      priceId: price.id,
      productId: product.id,
      usageType: price.usageType ?? 'licensed',
      quantity: request.quantity,
      meter: price.meter,
      effectiveFrom: day,
    };
    const changes = { items: [...sub.items, item] };
    if (day >= sub.billedThrough || request.quantity === undefined)
      return { effectiveDate: day, changes, lines: [] };
    // Co-termed: charged from D to the end of the period already invoiced, then renews with it.
    const added = this.priced(sub, '', price, product, request.quantity);
    const { period, to } = this.span(sub, day);
    const line = this.line(
      sub,
      period,
      to,
      'charge',
      added,
      day,
      () =>
        prorate({
          currency: sub.currency,
          period,
          amendment: { type: 'co_term_addition', effectiveDate: day, item: added.proration },
        }).lines,
    );
    return { effectiveDate: day, changes, lines: [line] };
  }

  private async cancelNow(sub: BillingSubscription, day: string, today: string): Promise<Plan> {
    const changes: SubscriptionChanges = {
      endDate: day,
      cancelAtPeriodEnd: false,
      canceledAt: new Date(),
      ...(day <= today ? { status: 'canceled' as const } : {}),
    };
    if (day >= sub.billedThrough) return { effectiveDate: day, changes, lines: [] };
    const { period, to } = this.span(sub, day);
    const lines: AmendmentLine[] = [];
    for (const item of sub.items) {
      if (item.usageType !== 'licensed' || item.quantity === undefined) continue;
      const from = maxDate(day, item.effectiveFrom);
      if (from >= to) continue;
      const priced = await this.pricedItem(sub, item);
      lines.push(
        this.line(
          sub,
          period,
          to,
          'credit',
          priced,
          from,
          () =>
            prorate({
              currency: sub.currency,
              period,
              amendment: { type: 'cancel_now', effectiveDate: from, item: priced.proration },
            }).lines,
        ),
      );
    }
    return { effectiveDate: day, changes, lines };
  }

  private async changeItem(
    sub: BillingSubscription,
    request: CreateAmendmentRequest,
    day: string,
  ): Promise<Plan> {
    const item = sub.items.find((i) => i.id === request.itemId);
    if (!item)
      throw new ApiError(
        422,
        BillingErrorCode.SUBSCRIPTION_ITEM_NOT_FOUND,
        `Subscription ${sub.id} has no item ${request.itemId ?? ''}.`,
        { errors: [{ pointer: '/itemId', detail: 'no such item on the subscription' }] },
      );
    if (day > sub.billedThrough)
      throw badDate(
        `effectiveDate ${day} is in a period not invoiced yet; a price or quantity change takes effect within the period last invoiced or on ${sub.billedThrough}. Invoice the subscription first.`,
      );
    if (day < item.effectiveFrom)
      throw badDate(
        `effectiveDate ${day} is before the item's last change (${item.effectiveFrom}); changes are made in order.`,
      );
    const oldPrice = await this.requirePrice(item.priceId);
    let newPrice = oldPrice;
    let newProduct = await this.requireProduct(item.productId);
    if (request.type === 'quantity_change') {
      if (item.usageType !== 'licensed')
        throw invalid('A metered item has no quantity; it bills the usage reported.', '/itemId');
      if (
        request.quantity !== undefined &&
        item.quantity !== undefined &&
        new MoneyDecimal(request.quantity).equals(item.quantity)
      )
        throw invalid(`The item's quantity is already ${item.quantity}.`, '/quantity');
    } else {
      const resolved = await this.prices.recurring(request.priceId ?? '', sub, '/priceId');
      newPrice = resolved.price;
      newProduct = resolved.product;
      if ((newPrice.usageType ?? 'licensed') !== item.usageType)
        throw invalid(
          `The item is ${item.usageType} and price ${newPrice.id} is ${newPrice.usageType ?? 'licensed'}; an ${request.type} keeps the kind of item.`,
          '/priceId',
        );
      PriceResolver.checkQuantity(newPrice, request.quantity ?? item.quantity, '/quantity');
      this.assertNotDuplicated(sub, newPrice, item.id);
      if (newPrice.id === item.priceId && request.quantity === undefined)
        throw invalid(`The item already bills price ${newPrice.id}.`, '/priceId');
    }
    const quantity = request.quantity ?? item.quantity;
    const next: ItemTerms = {
      id: item.id,
      priceId: newPrice.id,
      productId: newProduct.id,
      usageType: item.usageType,
      quantity,
      meter: newPrice.meter,
      effectiveFrom: day,
    };
    const changes = { items: sub.items.map((i) => (i.id === item.id ? next : i)) };
    if (item.quantity === undefined || quantity === undefined)
      return { effectiveDate: day, changes, lines: [] };
    const before = this.priced(
      sub,
      item.id,
      oldPrice,
      await this.requireProduct(item.productId),
      item.quantity,
    );
    const after = this.priced(sub, item.id, newPrice, newProduct, quantity);
    if (request.type !== 'quantity_change') {
      const oldAmount = new MoneyDecimal(periodPriceOf(item, oldPrice));
      const newAmount = new MoneyDecimal(periodPriceOf({ ...item, quantity }, newPrice));
      if (request.type === 'upgrade' && newAmount.lt(oldAmount))
        throw invalid(
          `An upgrade does not lower the period price (${oldAmount.toFixed()} → ${newAmount.toFixed()} ${sub.currency}); send it as a downgrade.`,
        );
      if (request.type === 'downgrade' && newAmount.gt(oldAmount))
        throw invalid(
          `A downgrade does not raise the period price (${oldAmount.toFixed()} → ${newAmount.toFixed()} ${sub.currency}); send it as an upgrade.`,
        );
    }
    if (day === sub.billedThrough) return { effectiveDate: day, changes, lines: [] };
    const { period, to } = this.span(sub, day);
    const engine = (): readonly ProrationLine[] =>
      prorate({
        currency: sub.currency,
        period,
        amendment: {
          type: 'item_change',
          effectiveDate: day,
          from: before.proration,
          to: after.proration,
        },
      }).lines;
    return {
      effectiveDate: day,
      changes,
      lines: [
        this.line(sub, period, to, 'credit', before, day, () => engine().slice(0, 1)),
        this.line(sub, period, to, 'charge', after, day, () => engine().slice(1, 2)),
      ],
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The whole period holding `day`, and where its prorated span ends (the period's end or the term's). */
  private span(sub: BillingSubscription, day: string): { period: BillingPeriod; to: string } {
    const period = periodOf(sub, day);
    return {
      period,
      to: sub.endDate === undefined ? period.end : minDate(period.end, sub.endDate),
    };
  }

  /**
   * One prorated line for [from, to): the engine's amendment line when the span runs to the end of
   * the period; the same rule (chargeForSpan) when the term ends earlier.
   */
  private line(
    sub: BillingSubscription,
    period: BillingPeriod,
    to: string,
    kind: 'credit' | 'charge',
    priced: Priced,
    from: string,
    engine: () => readonly ProrationLine[],
  ): AmendmentLine {
    const computed = withEngine(() => {
      if (to === period.end) {
        const line = engine().at(0);
        if (!line) throw new Error('the proration engine returned no line');
        return line;
      }
      const charge = chargeForSpan(sub.currency, period, { from, to }, priced.proration);
      return kind === 'credit' ? { ...charge, kind, amount: charge.amount.negated() } : charge;
    });
    const span = { from: computed.servicePeriod.from, to: computed.servicePeriod.to };
    const label = describeItem(priced.product, { quantity: priced.quantity });
    return {
      kind,
      description: `${kind === 'credit' ? 'Unused time on' : 'Remaining time on'} ${label} (${describeSpan(span)})`,
      subscriptionItemId: priced.itemId,
      priceId: priced.price.id,
      productId: priced.product.id,
      servicePeriod: span,
      quantity: priced.quantity,
      periodAmount: new MoneyDecimal(priced.proration.unitAmount)
        .times(priced.proration.quantity)
        .toFixed(),
      days: computed.days,
      periodDays: computed.periodDays,
      amount: computed.amount.toString(),
    };
  }

  private priced(
    sub: BillingSubscription,
    itemId: string,
    price: BillingPrice,
    product: BillingProduct,
    quantity: string,
  ): Priced {
    const proration = withEngine(() => {
      const item = prorationItemOf(price.definition, quantity);
      assertBillable(sub.currency, item);
      return item;
    });
    return { itemId, price, product, quantity, proration };
  }

  private async pricedItem(
    sub: BillingSubscription,
    item: BillingSubscriptionItem,
  ): Promise<Priced> {
    return this.priced(
      sub,
      item.id,
      await this.requirePrice(item.priceId),
      await this.requireProduct(item.productId),
      item.quantity ?? '0',
    );
  }

  private assertNotDuplicated(
    sub: BillingSubscription,
    price: BillingPrice,
    exceptItemId: string | undefined,
  ): void {
    const clash = sub.items.find(
      (i) =>
        i.id !== exceptItemId &&
        (i.priceId === price.id || (price.meter !== undefined && i.meter === price.meter)),
    );
    if (clash)
      throw new ApiError(
        422,
        BillingErrorCode.PRICE_DUPLICATED,
        `Item ${clash.id} already bills ${price.meter ? `meter ${price.meter}` : `price ${price.id}`}; a subscription has one item per price and per meter.`,
        { errors: [{ pointer: '/priceId', detail: 'duplicated' }] },
      );
  }

  private async requirePrice(id: string): Promise<BillingPrice> {
    const price = await this.billing.getPrice(id);
    if (!price) throw new Error(`price ${id} of a subscription item is missing`);
    return price;
  }

  private async requireProduct(id: string): Promise<BillingProduct> {
    const product = await this.billing.getProduct(id);
    if (!product) throw new Error(`product ${id} of a subscription item is missing`);
    return product;
  }

  // ---- outcomes --------------------------------------------------------------------------------

  /** A net charge: the lines wait for the next invoice; a credit applies to its item's charge. */
  private async pendingLines(
    sub: BillingSubscription,
    amendmentId: string,
    lines: AmendmentLine[],
  ): Promise<NewInvoiceLine[]> {
    const ids = lines.map(() => randomUUID());
    const taxCodes = new Map<string, string>();
    for (const line of lines)
      if (!taxCodes.has(line.productId))
        taxCodes.set(line.productId, (await this.requireProduct(line.productId)).taxCode);
    return lines.map((line, i) => {
      const charge =
        line.kind === 'credit'
          ? lines.findIndex(
              (l) => l.kind === 'charge' && l.subscriptionItemId === line.subscriptionItemId,
            )
          : -1;
      return {
        id: ids[i] ?? randomUUID(),
        customerId: sub.customerId,
        subscriptionId: sub.id,
        type: line.kind === 'credit' ? ('credit' as const) : ('subscription' as const),
        description: line.description,
        productId: line.productId,
        priceId: line.priceId,
        subscriptionItemId: line.subscriptionItemId || undefined,
        quantity: line.quantity,
        amount: line.amount,
        servicePeriod: { ...line.servicePeriod },
        proration: true,
        source: { kind: 'amendment' as const, id: amendmentId },
        ...(charge >= 0 ? { appliesToLineId: ids[charge] } : {}),
        taxCode: taxCodes.get(line.productId),
      };
    });
  }

  /**
   * A net credit: a credit memo for it. Its tax is the tax system's on the credited amounts, per
   * product tax code, on the effective date; it applies to the subscription's open invoices.
   */
  private async creditMemo(
    sub: BillingSubscription,
    amendmentId: string,
    effectiveDate: string,
    lines: AmendmentLine[],
    today: string,
  ): Promise<string> {
    const customer = await this.billing.getCustomer(sub.customerId);
    if (!customer) throw new Error(`customer ${sub.customerId} vanished`);
    const byTaxCode = new Map<string, InstanceType<typeof MoneyDecimal>>();
    for (const line of lines) {
      const code = (await this.requireProduct(line.productId)).taxCode;
      byTaxCode.set(code, (byTaxCode.get(code) ?? new MoneyDecimal(0)).minus(line.amount));
    }
    const taxable = [...byTaxCode.entries()]
      .filter(([, amount]) => amount.gt(0))
      .map(([taxCode, amount], i) => ({
        number: String(i + 1),
        amount: roundMoney(amount, sub.currency),
        quantity: '1',
        taxCode,
        description: `Credit for a subscription change (${taxCode})`,
      }));
    const outcome = await this.tax.quote(customer, effectiveDate, taxable);
    const subtotal = lines.reduce((sum, l) => sum.minus(l.amount), new MoneyDecimal(0));
    const taxLines = outcome.calculated
      ? outcome.lines
          .filter((l) => !new MoneyDecimal(l.tax).isZero())
          .map((l) => ({
            type: 'tax' as const,
            description: `${l.jurisdiction.taxName}, ${l.jurisdiction.name}, credited`,
            amount: roundMoney(l.tax, sub.currency),
            taxRate: l.rate,
          }))
      : [];
    const totalTax = taxLines.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
    const targets = await this.ledger.openInvoices(sub.id);
    const memo = await this.ledger.issue(
      {
        invoiceId: targets[0]?.id,
        customerId: sub.customerId,
        subscriptionId: sub.id,
        amendmentId,
        legalEntity: sub.legalEntity,
        currency: sub.currency,
        reason: 'subscription_change',
        memo: outcome.calculated ? undefined : outcome.notes.join(' '),
        lines: [
          ...lines.map((l) => ({
            type: 'proration' as const,
            description: l.description,
            servicePeriod: { ...l.servicePeriod },
            amount: roundMoney(new MoneyDecimal(l.amount).negated(), sub.currency),
          })),
          ...taxLines,
        ],
        subtotal: roundMoney(subtotal, sub.currency),
        totalTax: roundMoney(totalTax, sub.currency),
        total: roundMoney(subtotal.plus(totalTax), sub.currency),
        issueDate: today,
        // A proration credit is not a return of an invoice's lines: nothing to report as such.
        taxStatus: 'not_reported',
      },
      targets,
    );
    return memo.id;
  }
}
