import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import type {
  AmendmentResponse,
  BillingCustomerResponse,
  BillingPriceResponse,
  BillingProductResponse,
  CreditMemoResponse,
  InvoiceLineResponse,
  InvoiceResponse,
  PaymentResponse,
  PriceQuoteResponse,
  SubscriptionResponse,
  UsageLineResponse,
} from '@revgate/canonical';
import type { PriceCalculation } from './pricing';
import type {
  AmendmentRecord,
  BillingCreditMemo,
  BillingCustomer,
  BillingInvoice,
  BillingInvoiceLine,
  BillingPayment,
  BillingPrice,
  BillingProduct,
  BillingSubscription,
  UsagePricing,
} from './providers/billing-provider.port';
import { invoicedPeriod } from './subscriptions/subscription-billing';

/** The fields of `value` that are set: a response carries no undefined members. */
export function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toCustomerResponse(c: BillingCustomer): BillingCustomerResponse {
  return present({
    id: c.id,
    externalId: c.externalId,
    name: c.name,
    email: c.email,
    billTo: present({ ...c.billTo }),
    currency: c.currency,
    legalEntity: c.legalEntity,
    paymentTerms: c.paymentTerms,
    taxExemptionNumber: c.taxExemptionNumber,
    vatId: c.vatId,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  });
}

export function toProductResponse(p: BillingProduct): BillingProductResponse {
  return present({
    id: p.id,
    externalId: p.externalId,
    sku: p.sku,
    name: p.name,
    description: p.description,
    taxCode: p.taxCode,
    family: p.family,
    oneTimeRecognition: p.oneTimeRecognition,
    active: p.active,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  });
}

export function toPriceResponse(p: BillingPrice): BillingPriceResponse {
  const d = p.definition;
  return present({
    id: p.id,
    productId: p.productId,
    externalId: p.externalId,
    nickname: p.nickname,
    currency: p.currency,
    type: p.type,
    interval: p.interval,
    usageType: p.usageType,
    meter: p.meter,
    billingScheme: d.billingScheme,
    amount: d.billingScheme === 'flat' ? d.amount : undefined,
    unitAmount: d.billingScheme === 'per_unit' ? d.unitAmount : undefined,
    transformQuantity:
      d.billingScheme === 'per_unit' && d.transformQuantity
        ? { ...d.transformQuantity }
        : undefined,
    tiersMode: d.billingScheme === 'tiered' ? d.tiersMode : undefined,
    tiers:
      d.billingScheme === 'tiered'
        ? d.tiers.map((t) =>
            present({ upTo: t.upTo, unitAmount: t.unitAmount, flatAmount: t.flatAmount }),
          )
        : undefined,
    includedQuantity: d.billingScheme === 'flat' ? undefined : d.includedQuantity,
    active: p.active,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  });
}

/** How a calculation's breakdown is shown: every amount exact, as a decimal string. */
export function toBreakdown(calculation: PriceCalculation): UsagePricing['breakdown'] {
  return calculation.breakdown.map((c) => ({
    kind: c.kind,
    tierIndex: c.tierIndex,
    quantity: c.quantity,
    unitAmount: c.unitAmount.amount.toFixed(),
    flatAmount: c.flatAmount.amount.toFixed(),
    subtotal: c.subtotal.amount.toFixed(),
  }));
}

export function toQuoteResponse(priceId: string, c: PriceCalculation): PriceQuoteResponse {
  return {
    priceId,
    currency: c.currency,
    quantity: c.quantity,
    includedQuantity: c.includedQuantity,
    billableQuantity: c.billableQuantity,
    exactAmount: c.amount.amount.toFixed(),
    amount: c.roundedAmount.toString(),
    breakdown: toBreakdown(c),
  };
}

export function toSubscriptionResponse(s: BillingSubscription): SubscriptionResponse {
  const current = invoicedPeriod(s);
  return present({
    id: s.id,
    externalId: s.externalId,
    customerId: s.customerId,
    legalEntity: s.legalEntity,
    currency: s.currency,
    billingInterval: s.billingInterval,
    billingAnchorDate: s.billingAnchorDate,
    startDate: s.startDate,
    endDate: s.endDate,
    status: s.status,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: s.canceledAt?.toISOString(),
    billedThrough: s.billedThrough,
    currentPeriod: current ? { start: current.start, end: current.end } : undefined,
    items: s.items.map((i) =>
      present({
        id: i.id,
        priceId: i.priceId,
        productId: i.productId,
        usageType: i.usageType,
        quantity: i.quantity,
        meter: i.meter,
        effectiveFrom: i.effectiveFrom,
      }),
    ),
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  });
}

export function toAmendmentResponse(
  a: AmendmentRecord,
  subscription?: BillingSubscription,
): AmendmentResponse {
  return present({
    id: a.id,
    subscriptionId: a.subscriptionId,
    type: a.type,
    effectiveDate: a.effectiveDate,
    prorationBehavior: a.prorationBehavior,
    currency: a.currency,
    lines: a.lines.map((l) =>
      present({
        kind: l.kind,
        description: l.description,
        subscriptionItemId: l.subscriptionItemId,
        priceId: l.priceId,
        servicePeriod: { ...l.servicePeriod },
        quantity: l.quantity,
        periodAmount: l.periodAmount,
        days: l.days,
        periodDays: l.periodDays,
        amount: l.amount,
      }),
    ),
    total: a.total,
    outcome: a.outcome,
    creditMemoId: a.creditMemoId,
    subscription: subscription ? toSubscriptionResponse(subscription) : undefined,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
  });
}

export function toInvoiceLineResponse(l: BillingInvoiceLine): InvoiceLineResponse {
  return present({
    id: l.id,
    type: l.type,
    description: l.description,
    productId: l.productId,
    priceId: l.priceId,
    subscriptionId: l.subscriptionId,
    subscriptionItemId: l.subscriptionItemId,
    quantity: l.quantity,
    unitAmount: l.unitAmount,
    amount: l.amount,
    servicePeriod: l.servicePeriod ? { ...l.servicePeriod } : undefined,
    proration: l.proration,
    source: { ...l.source },
    appliesToLineId: l.appliesToLineId,
    taxCode: l.taxCode,
    taxStatus: l.taxStatus,
    taxRate: l.taxRate,
    taxability: l.taxability,
    jurisdiction: l.jurisdiction ? present({ ...l.jurisdiction }) : undefined,
  });
}

/** What is left to pay: total − paid − credited, in the currency's decimals. */
export function amountRemaining(i: {
  total: string;
  amountPaid: string;
  amountCredited: string;
  currency: string;
}): string {
  return roundMoney(
    new MoneyDecimal(i.total).minus(i.amountPaid).minus(i.amountCredited),
    i.currency,
  );
}

export function toInvoiceResponse(i: BillingInvoice): InvoiceResponse {
  return present({
    id: i.id,
    number: i.number,
    status: i.status,
    customerId: i.customerId,
    subscriptionId: i.subscriptionId,
    legalEntity: i.legalEntity,
    currency: i.currency,
    paymentTerms: i.paymentTerms,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    memo: i.memo,
    lines: i.lines.map(toInvoiceLineResponse),
    subtotal: i.subtotal,
    totalTax: i.totalTax,
    total: i.total,
    amountPaid: i.amountPaid,
    amountCredited: i.amountCredited,
    amountRemaining: amountRemaining(i),
    tax: present({
      status: i.taxStatus,
      transactionCode: i.taxTransactionCode,
      notes: [...i.taxNotes],
    }),
    finalizedAt: i.finalizedAt?.toISOString(),
    paidAt: i.paidAt?.toISOString(),
    voidedAt: i.voidedAt?.toISOString(),
    voidReason: i.voidReason,
    markedUncollectibleAt: i.markedUncollectibleAt?.toISOString(),
    version: i.version,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  });
}

export function toCreditMemoResponse(m: BillingCreditMemo): CreditMemoResponse {
  const applied = m.applications.reduce((sum, a) => sum.plus(a.amount), new MoneyDecimal(0));
  return present({
    id: m.id,
    number: m.number,
    invoiceId: m.invoiceId,
    customerId: m.customerId,
    subscriptionId: m.subscriptionId,
    amendmentId: m.amendmentId,
    legalEntity: m.legalEntity,
    currency: m.currency,
    reason: m.reason,
    memo: m.memo,
    lines: m.lines.map((l) =>
      present({
        id: l.id,
        type: l.type,
        description: l.description,
        invoiceLineId: l.invoiceLineId,
        servicePeriod: l.servicePeriod ? { ...l.servicePeriod } : undefined,
        amount: l.amount,
        taxRate: l.taxRate,
      }),
    ),
    subtotal: m.subtotal,
    totalTax: m.totalTax,
    total: m.total,
    appliedAmount: roundMoney(applied, m.currency),
    unappliedAmount: roundMoney(new MoneyDecimal(m.total).minus(applied), m.currency),
    applications: m.applications.map((a) => ({
      invoiceId: a.invoiceId,
      amount: a.amount,
      appliedAt: a.appliedAt.toISOString(),
    })),
    tax: present({ status: m.taxStatus, transactionCode: m.taxTransactionCode }),
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  });
}

export function toPaymentResponse(p: BillingPayment): PaymentResponse {
  return present({
    id: p.id,
    invoiceId: p.invoiceId,
    customerId: p.customerId,
    legalEntity: p.legalEntity,
    currency: p.currency,
    amount: p.amount,
    status: p.status,
    reference: p.reference,
    method: p.method,
    failureReason: p.failureReason,
    refundReason: p.refundReason,
    settledAt: p.settledAt?.toISOString(),
    failedAt: p.failedAt?.toISOString(),
    refundedAt: p.refundedAt?.toISOString(),
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  });
}

export function toUsageLineResponse(l: BillingInvoiceLine, currency: string): UsageLineResponse {
  const usage = l.usage;
  return present({
    id: l.id,
    subscriptionId: l.subscriptionId ?? '',
    subscriptionItemId: l.subscriptionItemId ?? '',
    priceId: l.priceId ?? '',
    meter: usage?.meter ?? '',
    quantity: l.quantity ?? '0',
    servicePeriod: { from: l.servicePeriod?.from ?? '', to: l.servicePeriod?.to ?? '' },
    sourceRef: l.source.reference ?? '',
    description: l.description,
    currency,
    amount: l.amount,
    periodQuantity: usage?.periodQuantity ?? '0',
    periodAmount: usage?.periodAmount ?? '0',
    breakdown: usage?.breakdown.map((b) => ({ ...b })) ?? [],
    invoiceId: l.invoiceId,
    createdAt: l.createdAt.toISOString(),
  });
}
