import { Injectable } from '@nestjs/common';
import type { billing } from '@revgate/clients';
import { arCreditMemoLines, MoneyDecimal } from '@revgate/canonical';
import { MappingsService } from '../mappings/mappings.service';
import { OrderBlocked } from '../orders/order-exception';
import { OrderSteps, type PostedReceivable } from '../orders/order-steps';
import type { OrderEntity } from '../orders/order.entity';
import { Q2cErrorCode } from '../q2c-error-code';
import { answered, SystemApis } from '../system-apis';
import type { AmendmentRequestData } from './amendment-model';

type Subscription = billing.components['schemas']['SubscriptionResponse'];
type ProrationLine = billing.components['schemas']['ProrationLineResponse'];

/** The amendment as billing recorded it, and where its lines' revenue posts. */
export interface Amended {
  billingAmendmentId: string;
  outcome: 'invoice_lines' | 'credit_memo' | 'none';
  total: string;
  creditMemoId?: string;
  /** billing product id → ERP item code, the order's and the new product's */
  erpItems: Record<string, string>;
  /** The ERP item of each proration line, in order (a credit memo's lines follow them). */
  lineItems: (string | undefined)[];
}

export interface BilledChange {
  invoiceId?: string;
  invoiceNumber?: string;
  creditMemoId?: string;
  creditMemoNumber?: string;
  skipped?: string;
}

const idem = (amendmentId: string, step: string): Record<string, string> => ({
  'idempotency-key': `q2c:amendment:${amendmentId}:${step}`,
});

/**
 * The amendment's calls to the system APIs, one method per step, each safe to repeat (keys made of
 * the amendment and the step; the ERP keyed by the billing document's id).
 */
@Injectable()
export class AmendmentSteps {
  constructor(
    private readonly apis: SystemApis,
    private readonly mappings: MappingsService,
    private readonly orders: OrderSteps,
  ) {}

  /** The change in billing, prorated by billing's declared rule. */
  async amendSubscription(
    amendmentId: string,
    order: OrderEntity,
    request: AmendmentRequestData,
  ): Promise<Amended> {
    const subscriptionId = order.refs.subscriptionId;
    if (!subscriptionId) throw new Error(`order ${order.id} has no subscription`);
    const subscription: Subscription = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/subscriptions/{id}', {
        params: { path: { id: subscriptionId } },
      }),
    );
    const erpItems = { ...(order.refs.erpItems ?? {}) };
    let priceId: string | undefined;
    if (request.crmProductId) {
      const mapping = (
        await this.mappings.forProducts([request.crmProductId], subscription.currency)
      ).get(request.crmProductId);
      if (!mapping)
        throw new OrderBlocked({
          code: Q2cErrorCode.PRODUCT_UNMAPPED,
          title: 'The product of the change is not mapped to billing and the ERP',
          detail: `No ${subscription.currency} mapping for CRM product ${request.crmProductId}.`,
          whatToFix: `Map the product to a ${subscription.currency} billing price and an ERP item (POST /q2c/v1/product-mappings), then retry the amendment.`,
        });
      priceId = mapping.billingPriceId;
      const price = answered(
        'billing',
        await this.apis.billing.GET('/billing/v1/prices/{id}', {
          params: { path: { id: priceId } },
        }),
      );
      erpItems[price.productId] = mapping.erpItemCode;
    }
    let itemId = request.itemId;
    const needsItem = ['upgrade', 'downgrade', 'quantity_change'].includes(request.type);
    if (needsItem && itemId === undefined) {
      const licensed = subscription.items.filter((i) => i.usageType !== 'metered');
      if (licensed.length !== 1)
        throw new OrderBlocked({
          code: Q2cErrorCode.SYSTEM_REFUSED,
          title: 'The change does not say which item it changes',
          detail: `The subscription has ${licensed.length} licensed items; a ${request.type} changes one of them.`,
          whatToFix: 'Resolve this amendment and ask again naming itemId (the subscription item).',
        });
      itemId = licensed[0]?.id;
    }
    const amendment = answered(
      'billing',
      await this.apis.billing.POST('/billing/v1/subscriptions/{id}/amendments', {
        params: { path: { id: subscriptionId } },
        body: {
          type: request.type,
          ...(request.effectiveDate ? { effectiveDate: request.effectiveDate } : {}),
          ...(itemId ? { itemId } : {}),
          ...(priceId ? { priceId } : {}),
          ...(request.quantity ? { quantity: request.quantity } : {}),
          ...(request.periods !== undefined ? { periods: request.periods } : {}),
          ...(request.prorationBehavior ? { prorationBehavior: request.prorationBehavior } : {}),
        },
        headers: idem(amendmentId, 'amend'),
      }),
    );
    return {
      billingAmendmentId: amendment.id,
      outcome: amendment.outcome,
      total: amendment.total,
      ...(amendment.creditMemoId ? { creditMemoId: amendment.creditMemoId } : {}),
      erpItems,
      lineItems: await this.itemsOf(amendment.lines, erpItems),
    };
  }

  private async itemsOf(
    lines: readonly ProrationLine[],
    erpItems: Record<string, string>,
  ): Promise<(string | undefined)[]> {
    const products = new Map<string, string>();
    for (const priceId of new Set(lines.map((l) => l.priceId))) {
      const price = answered(
        'billing',
        await this.apis.billing.GET('/billing/v1/prices/{id}', {
          params: { path: { id: priceId } },
        }),
      );
      products.set(priceId, price.productId);
    }
    return lines.map((l) => {
      const product = products.get(l.priceId);
      return product === undefined ? undefined : erpItems[product];
    });
  }

  /** A net charge: the invoice of the waiting prorated lines; a net credit: billing's memo. */
  async billChange(
    amendmentId: string,
    order: OrderEntity,
    amended: Amended,
  ): Promise<BilledChange> {
    if (amended.outcome === 'credit_memo' && amended.creditMemoId) {
      const memo = answered(
        'billing',
        await this.apis.billing.GET('/billing/v1/credit-memos/{id}', {
          params: { path: { id: amended.creditMemoId } },
        }),
      );
      return { creditMemoId: memo.id, creditMemoNumber: memo.number };
    }
    if (amended.outcome !== 'invoice_lines')
      return { skipped: 'the change has no amount to bill or credit now' };
    const customerId = order.refs.billingCustomerId;
    const subscriptionId = order.refs.subscriptionId;
    if (!customerId || !subscriptionId) throw new Error(`order ${order.id} lacks its billing ids`);
    let invoice = answered(
      'billing',
      await this.apis.billing.POST('/billing/v1/invoices', {
        body: {
          customerId,
          subscriptionId,
          memo: `Subscription change ${amended.billingAmendmentId}`,
        },
        headers: idem(amendmentId, 'invoice'),
      }),
    );
    if (invoice.status === 'draft')
      invoice = answered(
        'billing',
        await this.apis.billing.POST('/billing/v1/invoices/{id}/finalize', {
          params: { path: { id: invoice.id } },
          headers: idem(amendmentId, 'finalize'),
        }),
      );
    return { invoiceId: invoice.id, ...(invoice.number ? { invoiceNumber: invoice.number } : {}) };
  }

  /** The invoice as an AR invoice, or the memo as an AR credit memo against the order's invoice. */
  async postToErp(
    order: OrderEntity,
    amended: Amended,
    billed: BilledChange,
  ): Promise<PostedReceivable> {
    const accountId = order.accountId ?? '';
    if (billed.invoiceId)
      return this.orders.postReceivable(
        { accountId, opportunityName: `Subscription change ${amended.billingAmendmentId}` },
        billed.invoiceId,
        amended.erpItems,
      );
    if (!billed.creditMemoId) return { skipped: billed.skipped ?? 'nothing to post' };
    const memo = answered(
      'billing',
      await this.apis.billing.GET('/billing/v1/credit-memos/{id}', {
        params: { path: { id: billed.creditMemoId } },
      }),
    );
    if (new MoneyDecimal(memo.total).lte(0))
      return { skipped: `credit memo ${memo.number} is zero` };
    // The memo's credit lines are the amendment's proration lines, in order (tax lines aside).
    let proration = 0;
    const posting = arCreditMemoLines(
      memo.lines,
      memo.currency,
      () => amended.lineItems[proration++],
    );
    const against = memo.invoiceId ?? order.refs.invoiceId;
    if (!posting.ok || !against)
      throw new OrderBlocked({
        code: Q2cErrorCode.RECEIVABLE_NOT_POSTABLE,
        title: 'The credit memo cannot be posted to the ERP as it stands',
        detail: `Credit memo ${memo.number}: ${posting.ok ? 'it credits no posted invoice' : posting.problems.join('; ')}.`,
        whatToFix:
          'Map every product of the subscription to an ERP item (product mappings), then retry; or post the credit by hand and resolve.',
      });
    const posted = answered(
      'erp',
      await this.apis.erp.POST('/erp/v1/credit-memos', {
        body: {
          legalEntity: memo.legalEntity,
          externalId: memo.id,
          reference: memo.number,
          customerExternalId: accountId,
          invoiceExternalId: against,
          date: memo.createdAt.slice(0, 10),
          currency: memo.currency,
          memo: `Subscription change ${amended.billingAmendmentId}`,
          lines: posting.lines,
        },
        headers: { 'idempotency-key': `q2c:erp-credit-memo:${memo.id}` },
      }),
    );
    return { erpInvoiceId: posted.id, erpInvoiceNumber: posted.number };
  }
}
