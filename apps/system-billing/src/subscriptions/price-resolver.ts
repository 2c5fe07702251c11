import { Inject, Injectable } from '@nestjs/common';
import type { BillingInterval } from '@revgate/canonical';
import { ApiError, validationProblem } from '@revgate/platform';
import { BillingErrorCode } from '../billing-error-code';
import {
  BILLING_PROVIDER,
  type BillingPrice,
  type BillingProduct,
  type BillingProvider,
} from '../providers/billing-provider.port';

function refusal(code: BillingErrorCode, pointer: string, detail: string): ApiError {
  return new ApiError(422, code, detail, { errors: [{ pointer, detail }] });
}

/** Checks a price a subscription is to bill; refusals point at the field that named it. */
@Injectable()
export class PriceResolver {
  constructor(@Inject(BILLING_PROVIDER) private readonly billing: BillingProvider) {}

  async recurring(
    priceId: string,
    subscription: { currency: string; billingInterval: BillingInterval },
    pointer: string,
  ): Promise<{ price: BillingPrice; product: BillingProduct }> {
    const price = await this.billing.getPrice(priceId);
    if (!price)
      throw refusal(BillingErrorCode.PRICE_NOT_FOUND, pointer, `Price ${priceId} does not exist.`);
    if (!price.active)
      throw refusal(BillingErrorCode.PRICE_INACTIVE, pointer, `Price ${priceId} is inactive.`);
    if (price.type !== 'recurring')
      throw refusal(
        BillingErrorCode.PRICE_NOT_RECURRING,
        pointer,
        `Price ${priceId} is a one-time price; a subscription bills recurring prices.`,
      );
    if (price.interval !== subscription.billingInterval)
      throw refusal(
        BillingErrorCode.PRICE_INTERVAL_MISMATCH,
        pointer,
        `Price ${priceId} bills every ${price.interval ?? '?'}; the subscription bills every ${subscription.billingInterval}.`,
      );
    if (price.currency !== subscription.currency)
      throw refusal(
        BillingErrorCode.CURRENCY_MISMATCH,
        pointer,
        `Price ${priceId} is in ${price.currency}; the customer is billed in ${subscription.currency}.`,
      );
    const product = await this.billing.getProduct(price.productId);
    if (!product) throw new Error(`product ${price.productId} of price ${priceId} is missing`);
    if (!product.active)
      throw refusal(
        BillingErrorCode.PRODUCT_INACTIVE,
        pointer,
        `Product ${product.name} of price ${priceId} is inactive and cannot be sold.`,
      );
    return { price, product };
  }

  /** A licensed price needs a quantity; a metered one takes none (it bills usage). */
  static checkQuantity(price: BillingPrice, quantity: string | undefined, pointer: string): void {
    if (price.usageType === 'metered' && quantity !== undefined)
      throw validationProblem([
        { pointer, detail: 'quantity is not allowed for a metered price: it bills reported usage' },
      ]);
    if (price.usageType !== 'metered' && quantity === undefined)
      throw validationProblem([{ pointer, detail: 'quantity is required for a licensed price' }]);
  }
}
