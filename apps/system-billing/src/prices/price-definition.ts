import type { CreateBillingPriceRequest } from '@revgate/canonical';
import type { PriceDefinition } from '../pricing';

/**
 * The pricing engine's definition of a price request (Stripe's Price fields, amounts in major
 * units). Only the fields of the request's scheme are read; priceRequestProblems has refused the
 * others.
 */
export function toPriceDefinition(request: CreateBillingPriceRequest): PriceDefinition {
  const currency = request.currency;
  switch (request.billingScheme) {
    case 'flat':
      return { currency, billingScheme: 'flat', amount: request.amount ?? '' };
    case 'per_unit':
      return {
        currency,
        billingScheme: 'per_unit',
        unitAmount: request.unitAmount ?? '',
        ...(request.transformQuantity
          ? {
              transformQuantity: {
                divideBy: request.transformQuantity.divideBy,
                round: request.transformQuantity.round,
              },
            }
          : {}),
        ...(request.includedQuantity === undefined
          ? {}
          : { includedQuantity: request.includedQuantity }),
      };
    case 'tiered':
      return {
        currency,
        billingScheme: 'tiered',
        tiersMode: request.tiersMode ?? 'graduated',
        tiers: (request.tiers ?? []).map((t) => ({
          upTo: t.upTo,
          unitAmount: t.unitAmount,
          ...(t.flatAmount === undefined ? {} : { flatAmount: t.flatAmount }),
        })),
        ...(request.includedQuantity === undefined
          ? {}
          : { includedQuantity: request.includedQuantity }),
      };
  }
}
