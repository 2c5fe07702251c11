/**
 * What a subscription bills, as pure functions over its state and the pricing and proration
 * engines.
 *
 * The declared rules:
 * - Billing is in advance, one period at a time: recurring charges are invoiced up to
 *   `billedThrough`; the next invoice bills the period that starts there (the first one may be
 *   shorter, from the start date to the anchor), once it has begun, and never past the end date.
 * - A licensed item's period price is what the pricing engine prices its quantity at under its
 *   price (a per-unit price without package or allowance stays unit amount × quantity). A part of a
 *   period — a first or last short period, an item added or changed mid-period — is charged by days
 *   with the proration engine: round(period price × days / days of the period), half-up.
 * - An item bills from its effectiveFrom day: an item added on day D of a period not yet invoiced is
 *   co-termed, charged for [D, end of period) only, and then renews with the subscription.
 */
import type { BillingPeriod, ProrationItem, ServicePeriod } from '../proration';
import { chargeForSpan } from '../proration';
import { priceQuantity, type PriceDefinition } from '../pricing';
import type {
  BillingPrice,
  BillingProduct,
  BillingSubscription,
  BillingSubscriptionItem,
  NewInvoiceLine,
} from '../providers/billing-provider.port';
import { addDays, maxDate, minDate, periodContaining } from './billing-periods';

/** A licensed item as the proration engine sees it: the price of one unit for one whole period. */
export function prorationItemOf(definition: PriceDefinition, quantity: string): ProrationItem {
  if (
    definition.billingScheme === 'per_unit' &&
    definition.transformQuantity === undefined &&
    definition.includedQuantity === undefined
  )
    return { unitAmount: definition.unitAmount, quantity };
  return { unitAmount: priceQuantity(definition, quantity).amount.amount.toFixed(), quantity: '1' };
}

/**
 * Throws the proration engine's refusal when a licensed item's period price is outside what the
 * engines compute exactly (so a subscription is refused when it is created, not when it is billed).
 */
export function assertBillable(currency: string, item: ProrationItem): void {
  chargeForSpan(
    currency,
    { start: '2000-01-01', end: '2000-01-02' },
    { from: '2000-01-01', to: '2000-01-02' },
    item,
  );
}

/** The whole billing period of the subscription that holds `day`. */
export function periodOf(sub: BillingSubscription, day: string): BillingPeriod {
  return periodContaining(sub.billingAnchorDate, sub.billingInterval, day);
}

/** The last period invoiced ([start, billedThrough)), or undefined while nothing is invoiced. */
export function invoicedPeriod(sub: BillingSubscription): BillingPeriod | undefined {
  if (sub.billedThrough <= sub.startDate) return undefined;
  const period = periodOf(sub, addDays(sub.billedThrough, -1));
  return { start: maxDate(period.start, sub.startDate), end: sub.billedThrough };
}

/**
 * The span the next invoice bills, within its whole period, or undefined when the subscription has
 * ended or the span has not begun by `today`.
 */
export function nextBillingSpan(
  sub: BillingSubscription,
  today: string,
): { period: BillingPeriod; span: ServicePeriod } | undefined {
  const from = sub.billedThrough;
  if (sub.endDate !== undefined && from >= sub.endDate) return undefined;
  if (from > today) return undefined;
  const period = periodOf(sub, from);
  const to = sub.endDate === undefined ? period.end : minDate(period.end, sub.endDate);
  return { period, span: { from, to } };
}

/** "2026-01-01 – 2026-01-31": a span as people read it, with its last day (the end is exclusive). */
export function describeSpan(span: ServicePeriod): string {
  return `${span.from} – ${addDays(span.to, -1)}`;
}

export function describeItem(product: BillingProduct, item: { quantity?: string }): string {
  return item.quantity === undefined ? product.name : `${product.name} × ${item.quantity}`;
}

/** The recurring charges of the licensed items for `span` of `period`. */
export function recurringLines(args: {
  sub: BillingSubscription;
  period: BillingPeriod;
  span: ServicePeriod;
  prices: ReadonlyMap<string, BillingPrice>;
  products: ReadonlyMap<string, BillingProduct>;
  newId: () => string;
}): NewInvoiceLine[] {
  const { sub, period, span, prices, products } = args;
  const lines: NewInvoiceLine[] = [];
  for (const item of sub.items) {
    if (item.usageType !== 'licensed' || item.quantity === undefined) continue;
    const from = maxDate(span.from, item.effectiveFrom);
    if (from >= span.to) continue;
    const price = required(prices.get(item.priceId), `price ${item.priceId}`);
    const product = required(products.get(item.productId), `product ${item.productId}`);
    const servicePeriod = { from, to: span.to };
    const charge = chargeForSpan(
      sub.currency,
      period,
      servicePeriod,
      prorationItemOf(price.definition, item.quantity),
    );
    const partial = from !== period.start || span.to !== period.end;
    lines.push({
      id: args.newId(),
      customerId: sub.customerId,
      subscriptionId: sub.id,
      type: 'subscription',
      description: `${describeItem(product, item)} (${describeSpan(servicePeriod)})${partial ? `, ${charge.days} of ${charge.periodDays} days` : ''}`,
      productId: product.id,
      priceId: price.id,
      subscriptionItemId: item.id,
      quantity: item.quantity,
      ...(price.definition.billingScheme === 'per_unit' && !partial
        ? { unitAmount: price.definition.unitAmount }
        : {}),
      amount: charge.amount.toString(),
      servicePeriod,
      proration: partial,
      source: { kind: 'subscription_period', id: sub.id },
      taxCode: product.taxCode,
    });
  }
  return lines;
}

/** The licensed items' period prices, for comparing an upgrade with a downgrade. */
export function periodPriceOf(item: BillingSubscriptionItem, price: BillingPrice): string {
  if (item.quantity === undefined) return '0';
  return priceQuantity(price.definition, item.quantity).amount.amount.toFixed();
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
