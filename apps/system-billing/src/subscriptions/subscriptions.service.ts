import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@revgate/auth';
import { EventTypes } from '@revgate/canonical';
import { OutboxWriter } from '@revgate/events';
import { TransactionHost } from '@revgate/persistence';
import { ApiError, Page, keysetPage, keysetWindow } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import { assertEntityAllowed, withEngine } from '../billing.guards';
import { toSubscriptionResponse } from '../billing.mappers';
import {
  BILLING_PROVIDER,
  type BillingProvider,
  type NewSubscription,
} from '../providers/billing-provider.port';
import { addMonths, intervalMonths } from './billing-periods';
import {
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  SubscriptionResponse,
} from './dto/subscription.dto';
import { PriceResolver } from './price-resolver';
import { assertBillable, prorationItemOf } from './subscription-billing';

function datesProblem(pointer: string, detail: string): ApiError {
  return new ApiError(422, BillingErrorCode.SUBSCRIPTION_DATES_INVALID, detail, {
    errors: [{ pointer, detail }],
  });
}

@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(BILLING_PROVIDER) private readonly billing: BillingProvider,
    private readonly prices: PriceResolver,
    private readonly tx: TransactionHost,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Starts a subscription for a customer, billed in the customer's currency by its legal entity,
   * and writes billing.subscription.activated.v1 to the outbox in the same transaction.
   */
  async create(
    caller: Principal,
    request: CreateSubscriptionRequest,
  ): Promise<SubscriptionResponse> {
    return this.tx.run(async () => {
      // Share-locked: the customer's currency and legal entity hold until the subscription is stored.
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
      assertEntityAllowed(caller, customer.legalEntity);
      const anchor = request.billingAnchorDate ?? request.startDate;
      const step = intervalMonths(request.billingInterval);
      if (anchor < request.startDate || anchor >= addMonths(request.startDate, step))
        throw datesProblem(
          '/billingAnchorDate',
          `billingAnchorDate must be on or after startDate and less than one ${request.billingInterval} after it (from ${request.startDate} to ${addMonths(request.startDate, step)}, exclusive).`,
        );
      if (request.endDate !== undefined && request.endDate <= request.startDate)
        throw datesProblem('/endDate', 'endDate must be after startDate (it is exclusive).');
      const terms = { currency: customer.currency, billingInterval: request.billingInterval };
      const items: NewSubscription['items'] = [];
      for (const [i, item] of request.items.entries()) {
        const pointer = `/items/${i}`;
        const { price, product } = await this.prices.recurring(
          item.priceId,
          terms,
          `${pointer}/priceId`,
        );
        PriceResolver.checkQuantity(price, item.quantity, `${pointer}/quantity`);
        const duplicate = items.findIndex(
          (other) =>
            other.priceId === price.id ||
            (price.meter !== undefined && other.meter === price.meter),
        );
        if (duplicate >= 0)
          throw new ApiError(
            422,
            BillingErrorCode.PRICE_DUPLICATED,
            `items[${i}] bills the same ${price.meter ? `meter (${price.meter})` : 'price'} as items[${duplicate}]; a subscription has one item per price and per meter.`,
            { errors: [{ pointer: `${pointer}/priceId`, detail: 'duplicated' }] },
          );
        if (item.quantity !== undefined) {
          const quantity = item.quantity;
          withEngine(() => {
            assertBillable(customer.currency, prorationItemOf(price.definition, quantity));
          }, pointer);
        }
        items.push({
          priceId: price.id,
          productId: product.id,
          usageType: price.usageType ?? 'licensed',
          quantity: item.quantity,
          meter: price.meter,
          effectiveFrom: request.startDate,
        });
      }
      const created = await this.billing.createSubscription({
        externalId: request.externalId,
        customerId: customer.id,
        legalEntity: customer.legalEntity,
        currency: customer.currency,
        billingInterval: request.billingInterval,
        billingAnchorDate: anchor,
        startDate: request.startDate,
        endDate: request.endDate,
        items,
      });
      const response = toSubscriptionResponse(created);
      await this.outbox.append(EventTypes.SubscriptionActivated, created.id, response);
      return response;
    });
  }

  async get(caller: Principal, id: string): Promise<SubscriptionResponse> {
    const found = await this.billing.getSubscription(id, { legalEntities: caller.legalEntities });
    if (!found)
      throw new ApiError(
        404,
        BillingErrorCode.SUBSCRIPTION_NOT_FOUND,
        `Subscription ${id} does not exist.`,
      );
    return toSubscriptionResponse(found);
  }

  async list(
    caller: Principal,
    query: ListSubscriptionsQuery,
  ): Promise<Page<SubscriptionResponse>> {
    const slice = await this.billing.listSubscriptions({
      ...keysetWindow(query, caller.legalEntities),
      customerId: query.customerId,
      status: query.status,
      externalId: query.externalId,
    });
    return keysetPage(slice, toSubscriptionResponse);
  }
}
