import {
  PricingError,
  PricingErrorCode,
  validatePrice,
  type PriceDefinition,
  type PriceTier,
} from './index';

function refusal(price: PriceDefinition): { code: string; path: string; message: string } {
  try {
    validatePrice(price);
  } catch (error) {
    if (error instanceof PricingError) {
      return { code: error.code, path: error.path, message: error.message };
    }
    throw error;
  }
  throw new Error('the price was accepted');
}

const tiered = (tiers: PriceTier[], tiersMode: 'graduated' | 'volume' = 'graduated') =>
  ({ currency: 'USD', billingScheme: 'tiered', tiersMode, tiers }) satisfies PriceDefinition;

/** Cast for input that bypasses the types, as an unchecked JSON body would. */
const unchecked = (value: object) => value as unknown as PriceDefinition;

describe('validatePrice', () => {
  it('accepts every model within the envelope', () => {
    const valid: PriceDefinition[] = [
      { currency: 'USD', billingScheme: 'flat', amount: '999999999999999.9999999999' },
      { currency: 'JPY', billingScheme: 'per_unit', unitAmount: '0.0000000001' },
      { currency: 'KWD', billingScheme: 'per_unit', unitAmount: '999999999.5' },
      {
        currency: 'EUR',
        billingScheme: 'per_unit',
        unitAmount: '5',
        transformQuantity: { divideBy: '999999999999', round: 'down' },
        includedQuantity: '999999999999.999999',
      },
      tiered([{ upTo: null, unitAmount: '0' }], 'volume'),
      tiered([
        { upTo: '0.000001', unitAmount: '1', flatAmount: '0' },
        { upTo: '0.000002', unitAmount: '0.5' },
        { upTo: null, unitAmount: '0', flatAmount: '100' },
      ]),
    ];
    for (const price of valid) expect(() => validatePrice(price)).not.toThrow();
  });

  it('refuses a currency that is not ISO 4217 in capitals', () => {
    for (const currency of ['usd', 'XYZ', '', 'US', 'USDT']) {
      expect(refusal({ currency, billingScheme: 'flat', amount: '1' })).toMatchObject({
        code: 'BILLING_PRICE_INVALID',
        path: 'currency',
      });
    }
  });

  it.each([['-1'], ['-0.01'], ['1e2'], ['1,5'], [''], ['NaN'], ['Infinity'], ['0x10'], ['00.5']])(
    'refuses the unit amount %j',
    (unitAmount) => {
      expect(refusal({ currency: 'USD', billingScheme: 'per_unit', unitAmount })).toMatchObject({
        code: 'BILLING_PRICE_INVALID',
        path: 'unitAmount',
      });
    },
  );

  it('refuses amounts beyond the envelope, where exactness could no longer be promised', () => {
    const perUnit = (unitAmount: string): PriceDefinition => ({
      currency: 'USD',
      billingScheme: 'per_unit',
      unitAmount,
    });
    expect(refusal(perUnit('0.00000000001')).path).toBe('unitAmount'); // 11 decimals
    expect(refusal(perUnit('1000000000')).path).toBe('unitAmount'); // 10 integer digits
    expect(
      refusal({ currency: 'USD', billingScheme: 'flat', amount: '1000000000000000' }).path,
    ).toBe('amount');
  });

  it('refuses a number where a decimal string is due', () => {
    expect(refusal(unchecked({ currency: 'USD', billingScheme: 'flat', amount: 10 }))).toEqual({
      code: PricingErrorCode.PRICE_INVALID,
      path: 'amount',
      message:
        'amount: must be a non-negative decimal string with up to 15 integer digits and 10 decimals, got number',
    });
  });

  describe('tiers', () => {
    it('refuses an empty tier list', () => {
      expect(refusal(tiered([]))).toMatchObject({ code: 'BILLING_PRICE_INVALID', path: 'tiers' });
    });

    it('refuses a bounded last tier', () => {
      expect(refusal(tiered([{ upTo: '10', unitAmount: '1' }]))).toMatchObject({
        path: 'tiers[0].upTo',
        message: 'tiers[0].upTo: the last tier must be unbounded (null)',
      });
    });

    it('refuses an unbounded tier before the last', () => {
      const tiers: PriceTier[] = [
        { upTo: null, unitAmount: '1' },
        { upTo: null, unitAmount: '2' },
      ];
      expect(refusal(tiered(tiers))).toMatchObject({
        path: 'tiers[0].upTo',
        message: 'tiers[0].upTo: only the last tier may be unbounded',
      });
    });

    it('refuses bounds that do not strictly ascend', () => {
      const equal: PriceTier[] = [
        { upTo: '10', unitAmount: '1' },
        { upTo: '10.000000', unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ];
      const descending: PriceTier[] = [
        { upTo: '10', unitAmount: '1' },
        { upTo: '20', unitAmount: '1' },
        { upTo: '9.5', unitAmount: '1' },
        { upTo: null, unitAmount: '1' },
      ];
      expect(refusal(tiered(equal)).path).toBe('tiers[1].upTo');
      expect(refusal(tiered(descending, 'volume')).path).toBe('tiers[2].upTo');
    });

    it('refuses a zero, negative or malformed bound', () => {
      for (const upTo of ['0', '0.000000', '-5', '1e3', '1.1234567']) {
        const tiers: PriceTier[] = [
          { upTo, unitAmount: '1' },
          { upTo: null, unitAmount: '1' },
        ];
        expect(refusal(tiered(tiers)).path).toBe('tiers[0].upTo');
      }
    });

    it('refuses negative tier amounts and names the tier', () => {
      const negativeUnit: PriceTier[] = [
        { upTo: '10', unitAmount: '1' },
        { upTo: null, unitAmount: '-1' },
      ];
      const negativeFlat: PriceTier[] = [
        { upTo: '10', unitAmount: '1', flatAmount: '-3' },
        { upTo: null, unitAmount: '1' },
      ];
      expect(refusal(tiered(negativeUnit)).path).toBe('tiers[1].unitAmount');
      expect(refusal(tiered(negativeFlat)).path).toBe('tiers[0].flatAmount');
    });

    it('refuses an unknown tiers mode', () => {
      const price = unchecked({
        currency: 'USD',
        billingScheme: 'tiered',
        tiersMode: 'stairstep',
        tiers: [{ upTo: null, unitAmount: '1' }],
      });
      expect(refusal(price).path).toBe('tiersMode');
    });
  });

  describe('package and included quantity', () => {
    it.each([['0'], ['1.5'], ['-2'], ['01'], ['1000000000000']])(
      'refuses the package size %j',
      (divideBy) => {
        const price: PriceDefinition = {
          currency: 'USD',
          billingScheme: 'per_unit',
          unitAmount: '1',
          transformQuantity: { divideBy, round: 'up' },
        };
        expect(refusal(price)).toMatchObject({
          code: 'BILLING_PRICE_INVALID',
          path: 'transformQuantity.divideBy',
        });
      },
    );

    it('refuses a rounding other than up or down', () => {
      const price = unchecked({
        currency: 'USD',
        billingScheme: 'per_unit',
        unitAmount: '1',
        transformQuantity: { divideBy: '10', round: 'nearest' },
      });
      expect(refusal(price).path).toBe('transformQuantity.round');
    });

    it.each([['-1'], ['1.1234567'], ['abc']])('refuses the included quantity %j', (included) => {
      expect(
        refusal({
          currency: 'USD',
          billingScheme: 'per_unit',
          unitAmount: '1',
          includedQuantity: included,
        }),
      ).toMatchObject({ code: 'BILLING_PRICE_INVALID', path: 'includedQuantity' });
    });
  });

  it('refuses an unknown billing scheme', () => {
    expect(refusal(unchecked({ currency: 'USD', billingScheme: 'stairstep' }))).toEqual({
      code: 'BILLING_PRICE_INVALID',
      path: 'billingScheme',
      message: 'billingScheme: must be "flat", "per_unit" or "tiered", got "stairstep"',
    });
  });

  it('raises a typed error with a stable name', () => {
    let caught: unknown;
    try {
      validatePrice({ currency: 'USD', billingScheme: 'flat', amount: '-1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PricingError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as PricingError).name).toBe('PricingError');
    expect((caught as PricingError).detail).toMatch(/^must be a non-negative decimal string/);
  });
});
