import { BILLING_QUANTITY, BILLING_FLAT_AMOUNT, BILLING_UNIT_AMOUNT } from '@revgate/canonical';
import { BillingErrorCode } from './billing-error-code';
import { PricingErrorCode } from './pricing';
import {
  FLAT_AMOUNT_PATTERN,
  QUANTITY_PATTERN,
  UNIT_AMOUNT_PATTERN,
} from './pricing/pricing.validation';
import { ProrationErrorCode } from './proration';

describe('BillingErrorCode', () => {
  it("includes every code of the pricing and proration engines, with the engines' values", () => {
    const codes: string[] = Object.values(BillingErrorCode);
    for (const code of [...Object.values(PricingErrorCode), ...Object.values(ProrationErrorCode)])
      expect(codes).toContain(code);
  });

  it('has no value twice, and every value starts with BILLING_', () => {
    const codes: string[] = Object.values(BillingErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^BILLING_[A-Z_]+$/);
  });
});

describe('the canonical billing envelopes', () => {
  it("are the pricing engine's, so what the API accepts the engine can price exactly", () => {
    expect(BILLING_QUANTITY.source).toBe(QUANTITY_PATTERN.source);
    expect(BILLING_UNIT_AMOUNT.source).toBe(UNIT_AMOUNT_PATTERN.source);
    expect(BILLING_FLAT_AMOUNT.source).toBe(FLAT_AMOUNT_PATTERN.source);
  });
});
