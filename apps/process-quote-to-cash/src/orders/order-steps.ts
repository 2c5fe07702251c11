import { Injectable } from '@nestjs/common';
import { idempotentHint, type billing, type crm } from '@revgate/clients';
import { arInvoiceLines, MoneyDecimal, roundMoney } from '@revgate/canonical';
import { MappingsService } from '../mappings/mappings.service';
import { Q2cErrorCode } from '../q2c-error-code';
import { answered, SystemApis, SystemRefusal } from '../system-apis';
import { OrderBlocked, refusalException } from './order-exception';

type Opportunity = crm.components['schemas']['OpportunityResponse'];
type Account = crm.components['schemas']['AccountResponse'];
type Invoice = billing.components['schemas']['InvoiceResponse'];

/** What the order learned about the deal when it validated the account. */
export interface Deal {
  opportunityId: string;
  opportunityName: string;
  accountId: string;
  accountName: string;
  legalEntity: string;
  currency: string;
  amount: string;
  billTo: {
    line1: string;
    line2?: string;
    city: string;
    region?: string;
    postalCode?: string;
    country: string;
  };
  taxRegistration: { scheme: string; number: string; country: string };
  lines: {
    id: string;
    productId: string;
    quantity: string;
    unitPrice: string;
    discountPercent: string;
    termMonths: number;
    startDate: string;
    totalPrice: string;
  }[];
}

/** The subscription items the deal maps to, with where each product posts in the ERP. */
export interface MappedItems {
  interval: 'month' | 'year';
  startDate: string;
  endDate: string;
  items: { priceId: string; quantity: string; crmLineId: string }[];
  /** billing product id → ERP item code */
  erpItems: Record<string, string>;
  priceIds: string[];
}

export interface IssuedInvoice {
  invoiceId: string;
  number?: string;
  status: string;
  total: string;
  taxTransactionCode?: string;
}

export interface PostedReceivable {
  erpInvoiceId?: string;
  erpInvoiceNumber?: string;
  skipped?: string;
}

const US_LIKE = new Set(['US', 'CA']);
const idem = (orderId: string, step: string): Record<string, string> => ({
  'idempotency-key': `q2c:${orderId}:${step}`,
});

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

/**
 * The order's calls to the system APIs, one method per step. Each is safe to repeat: creates carry
 * an Idempotency-Key made of the order and the step, or find what an earlier attempt made by its
 * external id first. A business condition is an OrderBlocked; a system's refusal a SystemRefusal;
 * a system that does not answer an UpstreamUnavailableError.
 */
@Injectable()
export class OrderSteps {
  constructor(
    private readonly apis: SystemApis,
    private readonly mappings: MappingsService,
  ) {}

  async validateAccount(opportunityId: string): Promise<Deal> {
    const opportunity: Opportunity = answered(
      'crm',
      await this.apis.crm.GET('/crm/v1/opportunities/{id}', {
        params: { path: { id: opportunityId } },
      }),
    );
    if (opportunity.stage !== 'closed_won')
      throw new OrderBlocked({
        code: Q2cErrorCode.OPPORTUNITY_NOT_WON,
        title: 'The opportunity is not closed-won',
        detail: `Opportunity ${opportunity.name} is ${opportunity.stage}.`,
        whatToFix: 'Only a closed-won deal becomes an order; resolve this order.',
        system: 'crm',
      });
    const account: Account = answered(
      'crm',
      await this.apis.crm.GET('/crm/v1/accounts/{id}', {
        params: { path: { id: opportunity.accountId } },
      }),
    );
    const address = account.billingAddress;
    const missing = [
      ...(address.line1 ? [] : ['street']),
      ...(address.city ? [] : ['city']),
      ...(US_LIKE.has(address.country) && !address.region ? ['state or province'] : []),
      ...(US_LIKE.has(address.country) && !address.postalCode ? ['postal code'] : []),
    ];
    if (missing.length)
      throw new OrderBlocked({
        code: Q2cErrorCode.BILLING_ADDRESS_INCOMPLETE,
        title: "The account's billing address is incomplete",
        detail: `Account ${account.legalName} has no ${missing.join(', ')} in its billing address.`,
        whatToFix: `Complete the billing address of ${account.legalName} in the CRM, then retry the order.`,
        system: 'crm',
      });
    if (!account.taxRegistration)
      throw new OrderBlocked({
        code: Q2cErrorCode.TAX_REGISTRATION_MISSING,
        title: 'The account has no tax registration',
        detail: `Account ${account.legalName} (${account.legalEntity}) has no tax registration: invoices to a business need its VAT number or EIN.`,
        whatToFix: `Add the tax registration (VAT number or EIN) of ${account.legalName} in the CRM, then retry the order.`,
        system: 'crm',
      });
    const entity = await this.apis.erp.GET('/erp/v1/legal-entities/{code}', {
      params: { path: { code: opportunity.legalEntity } },
    });
    if (entity.response.status === 404)
      throw new OrderBlocked({
        code: Q2cErrorCode.LEGAL_ENTITY_UNKNOWN,
        title: 'The ERP does not know the legal entity',
        detail: `The deal is contracted by legal entity ${opportunity.legalEntity}, which the ERP does not have.`,
        whatToFix: `Set up legal entity ${opportunity.legalEntity} in the ERP, or move the account to one it has, then retry.`,
        system: 'erp',
      });
    const books = answered('erp', entity);
    if (!books.allowedCurrencies.includes(opportunity.currency))
      throw new OrderBlocked({
        code: Q2cErrorCode.CURRENCY_NOT_ALLOWED,
        title: "The legal entity does not trade in the deal's currency",
        detail: `Legal entity ${books.code} trades in ${books.allowedCurrencies.join(', ')}; the deal is in ${opportunity.currency}.`,
        whatToFix: `Allow ${opportunity.currency} for ${books.code} in the ERP, or contract the deal in a currency it trades in, then retry.`,
        system: 'erp',
      });
    if (opportunity.lines.length === 0)
      throw new OrderBlocked({
        code: Q2cErrorCode.PRODUCT_UNMAPPED,
        title: 'The opportunity has no lines',
        detail: `Opportunity ${opportunity.name} has nothing to subscribe to.`,
        whatToFix: 'A closed-won deal without lines cannot be billed; resolve this order.',
        system: 'crm',
      });
    return {
      opportunityId,
      opportunityName: opportunity.name,
      accountId: account.id,
      accountName: account.legalName,
      legalEntity: opportunity.legalEntity,
      currency: opportunity.currency,
      amount: opportunity.amount,
      billTo: {
        line1: address.line1,
        ...(address.line2 ? { line2: address.line2 } : {}),
        city: address.city,
        ...(address.region ? { region: address.region } : {}),
        ...(address.postalCode ? { postalCode: address.postalCode } : {}),
        country: address.country,
      },
      taxRegistration: { ...account.taxRegistration },
      lines: opportunity.lines.map((l) => ({
        id: l.id,
        productId: l.productId,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discountPercent: l.discountPercent,
        termMonths: l.termMonths,
        startDate: l.startDate,
        totalPrice: l.totalPrice,
      })),
    };
  }

  /** Upsert by external id (the CRM account id): the ERP's PUT is idempotent. */
  async ensureErpCustomer(deal: Deal): Promise<string> {
    answered(
      'erp',
      await this.apis.erp.PUT('/erp/v1/customers/{legalEntity}/{externalId}', {
        params: { path: { legalEntity: deal.legalEntity, externalId: deal.accountId } },
        body: {
          name: deal.accountName,
          paymentTerms: 'net_30',
          currency: deal.currency,
          country: deal.billTo.country,
          taxRegistration: deal.taxRegistration,
        },
      }),
    );
    return deal.accountId;
  }

  /** Find-or-create by external id (the CRM account id). */
  async ensureBillingCustomer(orderId: string, deal: Deal): Promise<string> {
    const existing = await this.findBillingCustomer(deal.accountId);
    if (existing) return this.checkBillingCustomer(existing, deal);
    const created = await this.apis.billing.POST('/billing/v1/customers', {
      body: {
        externalId: deal.accountId,
        name: deal.accountName,
        billTo: deal.billTo,
        currency: deal.currency,
        legalEntity: deal.legalEntity,
        paymentTerms: 'net_30',
        ...(deal.taxRegistration.scheme === 'VAT' ? { vatId: deal.taxRegistration.number } : {}),
      },
      headers: idem(orderId, 'billing-customer'),
    });
    if (created.response.status === 409) {
      // Another order of the same account made it in between.
      const raced = await this.findBillingCustomer(deal.accountId);
      if (raced) return this.checkBillingCustomer(raced, deal);
    }
    return answered('billing', created).id;
  }

  private async findBillingCustomer(
    externalId: string,
  ): Promise<billing.components['schemas']['BillingCustomerResponse'] | undefined> {
    const page = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/customers', {
        params: { query: { externalId, limit: 1 } },
      }),
    );
    return page.data[0];
  }

  private checkBillingCustomer(
    customer: billing.components['schemas']['BillingCustomerResponse'],
    deal: Deal,
  ): string {
    if (customer.currency !== deal.currency || customer.legalEntity !== deal.legalEntity)
      throw new OrderBlocked({
        code: Q2cErrorCode.SYSTEM_REFUSED,
        title: 'The billing customer belongs to another legal entity or currency',
        detail: `Billing customer ${customer.id} of account ${deal.accountName} is invoiced by ${customer.legalEntity} in ${customer.currency}; this deal is ${deal.legalEntity} in ${deal.currency}.`,
        whatToFix:
          'A billing customer keeps its legal entity and currency: contract the deal with the same ones, or set up a separate account in the CRM for the other entity, then retry.',
        system: 'billing',
      });
    return customer.id;
  }

  /**
   * Each CRM line through the cross-reference: its billing price (the mapped one when the deal's
   * unit price is the price's, else a price of the same product at the negotiated unit price, made
   * once per line) and its ERP item. One subscription bills every item, so their intervals agree.
   */
  async mapProducts(orderId: string, deal: Deal): Promise<MappedItems> {
    const mapped = await this.mappings.forProducts(
      [...new Set(deal.lines.map((l) => l.productId))],
      deal.currency,
    );
    const unmapped = deal.lines.filter((l) => !mapped.has(l.productId));
    if (unmapped.length) {
      const names = await Promise.all(
        [...new Set(unmapped.map((l) => l.productId))].map(async (id) => {
          const product = await this.apis.crm.GET('/crm/v1/products/{id}', {
            params: { path: { id } },
          });
          return product.data ? `${product.data.name} (${product.data.sku})` : id;
        }),
      );
      throw new OrderBlocked({
        code: Q2cErrorCode.PRODUCT_UNMAPPED,
        title: 'A product of the deal is not mapped to billing and the ERP',
        detail: `No ${deal.currency} mapping for ${names.join(', ')}.`,
        whatToFix: `Map each product to a ${deal.currency} billing price and an ERP item (POST /q2c/v1/product-mappings), then retry the order.`,
      });
    }
    const items: MappedItems['items'] = [];
    const erpItems: Record<string, string> = {};
    const intervals = new Set<'month' | 'year'>();
    for (const line of deal.lines) {
      const mapping = mapped.get(line.productId);
      if (!mapping) continue;
      const price = answered(
        'billing',
        await this.apis.billing.GET('/billing/v1/prices/{id}', {
          params: { path: { id: mapping.billingPriceId } },
        }),
      );
      if (price.interval) intervals.add(price.interval);
      erpItems[price.productId] = mapping.erpItemCode;
      const negotiated = new MoneyDecimal(line.unitPrice).times(
        new MoneyDecimal(100).minus(line.discountPercent).dividedBy(100),
      );
      const listed =
        price.billingScheme === 'per_unit' &&
        price.unitAmount !== undefined &&
        new MoneyDecimal(price.unitAmount).eq(negotiated);
      let priceId = price.id;
      if (!listed) {
        const dealPrice = await this.apis.billing.POST('/billing/v1/prices', {
          body: {
            productId: price.productId,
            currency: deal.currency,
            type: 'recurring',
            ...(price.interval ? { interval: price.interval } : {}),
            billingScheme: 'per_unit',
            unitAmount: negotiated.toDecimalPlaces(10).toFixed(),
            nickname: deal.opportunityName.slice(0, 100),
          },
          headers: idem(orderId, `price:${line.id}`),
        });
        priceId = answered('billing', dealPrice).id;
      }
      items.push({
        priceId,
        quantity: new MoneyDecimal(line.quantity).toFixed(),
        crmLineId: line.id,
      });
    }
    if (intervals.size > 1)
      throw new OrderBlocked({
        code: Q2cErrorCode.BILLING_INTERVALS_MIXED,
        title: 'The deal mixes monthly and annual prices',
        detail: `The mapped billing prices of ${deal.opportunityName} bill ${[...intervals].join(' and ')}: one subscription bills every item on one interval.`,
        whatToFix:
          'Map the products to prices of one billing interval (or split the deal in the CRM), then retry the order.',
      });
    const start = deal.lines.map((l) => l.startDate).sort()[0] ?? '';
    const term = Math.max(...deal.lines.map((l) => l.termMonths));
    return {
      interval: [...intervals][0] ?? 'month',
      startDate: start,
      endDate: addMonths(start, term),
      items,
      erpItems,
      priceIds: items.map((i) => i.priceId),
    };
  }

  /** Find-or-create by external id (the order id). */
  async createSubscription(
    orderId: string,
    customerId: string,
    mapped: MappedItems,
  ): Promise<string> {
    const existing = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/subscriptions', {
        params: { query: { externalId: orderId, limit: 1 } },
      }),
    ).data.at(0);
    if (existing) return existing.id;
    const created = await this.apis.billing.POST('/billing/v1/subscriptions', {
      body: {
        externalId: orderId,
        customerId,
        billingInterval: mapped.interval,
        startDate: mapped.startDate,
        endDate: mapped.endDate,
        items: mapped.items.map((i) => ({ priceId: i.priceId, quantity: i.quantity })),
      },
      headers: idem(orderId, 'subscription'),
    });
    return answered('billing', created).id;
  }

  /**
   * The subscription's first invoice: a draft (its tax quoted), then finalized (its tax committed
   * under the invoice id). Before the subscription starts there is nothing to invoice yet: the
   * answer says when to come back.
   */
  async taxInvoice(
    orderId: string,
    customerId: string,
    subscriptionId: string,
  ): Promise<IssuedInvoice | { notBefore: string }> {
    const found = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/invoices', {
        params: { query: { subscriptionId, limit: 200 } },
      }),
    ).data.filter((i) => i.status !== 'void');
    let invoice: Invoice | undefined = found
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .at(0);
    if (!invoice) {
      const draft = await this.apis.billing.POST('/billing/v1/invoices', {
        body: { customerId, subscriptionId },
        headers: idem(orderId, 'invoice'),
      });
      const problem = draft.error as { code?: string } | undefined;
      if (problem?.code === 'BILLING_NOTHING_TO_INVOICE') {
        const subscription = answered(
          'billing',
          await this.apis.billing.GET('/billing/v1/subscriptions/{id}', {
            params: { path: { id: subscriptionId } },
          }),
        );
        if (subscription.startDate > new Date().toISOString().slice(0, 10))
          return { notBefore: subscription.startDate };
      }
      invoice = answered('billing', draft);
    }
    if (invoice.status === 'draft') {
      invoice = answered(
        'billing',
        await this.apis.billing.POST('/billing/v1/invoices/{id}/finalize', {
          params: { path: { id: invoice.id } },
          headers: idem(orderId, 'finalize'),
        }),
      );
    }
    return {
      invoiceId: invoice.id,
      ...(invoice.number ? { number: invoice.number } : {}),
      status: invoice.status,
      total: invoice.total,
      ...(invoice.tax.transactionCode ? { taxTransactionCode: invoice.tax.transactionCode } : {}),
    };
  }

  /** Whether billing has the invoice finalized (or further along). */
  async invoiceStatus(invoiceId: string): Promise<string> {
    return answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/invoices/{id}', {
        params: { path: { id: invoiceId } },
      }),
    ).status;
  }

  /**
   * The receivable: the billing invoice as an ERP AR invoice, keyed by the billing invoice id (the
   * ERP answers a repeat with the first posting). A zero invoice has nothing to receive.
   */
  async postReceivable(
    deal: Pick<Deal, 'accountId' | 'opportunityName'>,
    invoiceId: string,
    erpItems: Record<string, string>,
  ): Promise<PostedReceivable> {
    const invoice = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/invoices/{id}', {
        params: { path: { id: invoiceId } },
      }),
    );
    if (new MoneyDecimal(invoice.total).lte(0))
      return {
        skipped: `invoice ${invoice.number ?? invoice.id} totals ${invoice.total}: nothing to receive`,
      };
    const posting = arInvoiceLines(invoice.lines, invoice.currency, (line) =>
      line.productId === undefined ? undefined : erpItems[line.productId],
    );
    if (!posting.ok)
      throw new OrderBlocked({
        code: Q2cErrorCode.RECEIVABLE_NOT_POSTABLE,
        title: 'The invoice cannot be posted to the ERP as it stands',
        detail: `Invoice ${invoice.number ?? invoice.id}: ${posting.problems.join('; ')}.`,
        whatToFix:
          'Map every product of the invoice to an ERP item (product mappings), or fix the invoice in billing, then retry.',
      });
    const date = invoice.issueDate ?? new Date().toISOString().slice(0, 10);
    const posted = await this.inPeriod(date, async () =>
      answered(
        'erp',
        await this.apis.erp.POST('/erp/v1/invoices', {
          body: {
            legalEntity: invoice.legalEntity,
            externalId: invoice.id,
            ...(invoice.number ? { reference: invoice.number } : {}),
            customerExternalId: deal.accountId,
            date,
            ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
            currency: invoice.currency,
            memo: deal.opportunityName.slice(0, 500),
            lines: posting.lines,
          },
          headers: { 'idempotency-key': `q2c:erp-invoice:${invoice.id}` },
        }),
      ),
    );
    if (roundMoney(posted.total, invoice.currency) !== roundMoney(invoice.total, invoice.currency))
      throw new Error(
        `the ERP posted ${posted.total} for invoice ${invoice.id} of ${invoice.total}`,
      );
    return { erpInvoiceId: posted.id, erpInvoiceNumber: posted.number };
  }

  /** A posting whose ERP period is closed: the exception names the period. */
  private async inPeriod<T>(date: string, post: () => Promise<T>): Promise<T> {
    try {
      return await post();
    } catch (e) {
      if (e instanceof SystemRefusal && e.code === 'ERP_PERIOD_CLOSED')
        throw new OrderBlocked({
          ...refusalException(e, 'post the receivable'),
          period: date.slice(0, 7),
        });
      throw e;
    }
  }

  async writeBack(
    opportunityId: string,
    status: 'pending' | 'active' | 'failed',
    refs: { subscriptionId?: string; invoiceId?: string; erpInvoiceId?: string; detail?: string },
  ): Promise<void> {
    answered(
      'crm',
      await this.apis.crm.PATCH('/crm/v1/opportunities/{id}/billing-status', {
        params: { path: { id: opportunityId } },
        body: {
          status,
          ...(refs.subscriptionId ? { subscriptionId: refs.subscriptionId } : {}),
          ...(refs.invoiceId ? { invoiceId: refs.invoiceId } : {}),
          ...(refs.erpInvoiceId ? { erpInvoiceId: refs.erpInvoiceId } : {}),
          ...(refs.detail ? { detail: refs.detail.slice(0, 1000) } : {}),
        },
        // A merge of the same fields gives the same status: safe to repeat.
        headers: idempotentHint,
      }),
    );
  }

  // ---- compensation (an order cancelled after a permanent failure) --------------------------------

  /**
   * Reverses the receivable: a credit memo for the whole invoice against it (an ERP does not
   * delete a posted invoice), keyed so a repeat posts it once.
   */
  async reverseReceivable(legalEntity: string, invoiceId: string): Promise<string> {
    const posted = answered(
      'erp',
      await this.apis.erp.GET('/erp/v1/invoices/{legalEntity}/{externalId}', {
        params: { path: { legalEntity, externalId: invoiceId } },
      }),
    );
    if (new MoneyDecimal(posted.amountCredited).gte(posted.total))
      return `ERP invoice ${posted.number} is credited in full already`;
    const memo = answered(
      'erp',
      await this.apis.erp.POST('/erp/v1/credit-memos', {
        body: {
          legalEntity,
          externalId: `reversal-${invoiceId}`,
          ...(posted.reference ? { reference: posted.reference } : {}),
          customerExternalId: posted.customerExternalId,
          invoiceExternalId: invoiceId,
          date: new Date().toISOString().slice(0, 10),
          currency: posted.currency,
          memo: `Reversal of ${posted.number}: the order was cancelled`,
          lines: posted.lines.map((l) => ({
            itemCode: l.itemCode,
            quantity: l.quantity,
            amount: l.amount,
            taxAmount: l.taxAmount,
            ...(l.description ? { description: l.description } : {}),
            ...(l.taxCode ? { taxCode: l.taxCode } : {}),
            ...(l.servicePeriod ? { servicePeriod: l.servicePeriod } : {}),
          })),
        },
        headers: { 'idempotency-key': `q2c:erp-reversal:${invoiceId}` },
      }),
    );
    return `ERP credit memo ${memo.number} reverses ${posted.number}`;
  }

  /** Voids the invoice (billing voids its tax transaction with it). */
  async voidInvoice(invoiceId: string, reason: string): Promise<string> {
    const invoice = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/invoices/{id}', {
        params: { path: { id: invoiceId } },
      }),
    );
    if (invoice.status === 'void') return `invoice ${invoice.number ?? invoiceId} is void already`;
    if (invoice.status === 'draft') return `invoice ${invoiceId} is a draft: nothing was issued`;
    answered(
      'billing',
      await this.apis.billing.POST('/billing/v1/invoices/{id}/void', {
        params: { path: { id: invoiceId } },
        body: { reason: reason.slice(0, 255) },
        headers: { 'idempotency-key': `q2c:void:${invoiceId}` },
      }),
    );
    return `invoice ${invoice.number ?? invoiceId} voided, with its tax transaction`;
  }

  /** Cancels the subscription now, without prorations (its invoice is voided, not credited). */
  async cancelSubscription(orderId: string, subscriptionId: string): Promise<string> {
    const subscription = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/subscriptions/{id}', {
        params: { path: { id: subscriptionId } },
      }),
    );
    if (subscription.status === 'canceled') return 'the subscription is canceled already';
    answered(
      'billing',
      await this.apis.billing.POST('/billing/v1/subscriptions/{id}/amendments', {
        params: { path: { id: subscriptionId } },
        body: {
          type: 'cancel_now',
          effectiveDate: new Date().toISOString().slice(0, 10),
          prorationBehavior: 'none',
        },
        headers: idem(orderId, 'compensate:cancel-subscription'),
      }),
    );
    return 'the subscription is canceled';
  }
}
