import { MoneyDecimal } from '@revgate/canonical';
import {
  priceQuantity,
  PricingError,
  PricingErrorCode,
  type PriceCalculation,
  type PriceDefinition,
  type PriceTier,
} from './index';

// Every expectation below is worked out by hand in the comment beside it.

/** The breakdown as plain strings, so a line can be compared with a hand-written one. */
function lines(calc: PriceCalculation): string[][] {
  return calc.breakdown.map((c) => [
    c.kind,
    String(c.tierIndex),
    c.quantity,
    c.unitAmount.toString(),
    c.flatAmount.toString(),
    c.subtotal.toString(),
  ]);
}

/** What `run` threw (a failing test when it threw nothing). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, got a result');
}

function amounts(calc: PriceCalculation): [string, string] {
  return [calc.amount.toString(), calc.roundedAmount.toString()];
}

const tiered = (tiersMode: 'graduated' | 'volume', tiers: PriceTier[]) =>
  ({ currency: 'USD', billingScheme: 'tiered', tiersMode, tiers }) satisfies PriceDefinition;

/** 1–5 at 5.00, 6–10 at 4.00, 11+ at 3.00. */
const LADDER: PriceTier[] = [
  { upTo: '5', unitAmount: '5.00' },
  { upTo: '10', unitAmount: '4.00' },
  { upTo: null, unitAmount: '3.00' },
];
/** The same ladder with flat fees of 10.00 on tier 0 and 20.00 on tier 1. */
const LADDER_WITH_FLATS: PriceTier[] = [
  { upTo: '5', unitAmount: '5.00', flatAmount: '10.00' },
  { upTo: '10', unitAmount: '4.00', flatAmount: '20.00' },
  { upTo: null, unitAmount: '3.00' },
];

describe('priceQuantity', () => {
  describe('flat', () => {
    const flat: PriceDefinition = { currency: 'USD', billingScheme: 'flat', amount: '49.00' };

    it('charges the amount whatever the quantity, zero included', () => {
      for (const q of ['0', '1', '1000.5']) {
        expect(amounts(priceQuantity(flat, q))).toEqual(['49.00', '49.00']);
      }
      expect(lines(priceQuantity(flat, '3'))).toEqual([
        ['flat', 'null', '3', '0.00', '49.00', '49.00'],
      ]);
    });
  });

  describe('per unit', () => {
    it('keeps sub-cent unit amounts exact and rounds only the total', () => {
      // 12,345 API calls × 0.0015 = 18.5175 → 18.52
      const calc = priceQuantity(
        { currency: 'USD', billingScheme: 'per_unit', unitAmount: '0.0015' },
        '12345',
      );
      expect(amounts(calc)).toEqual(['18.5175', '18.52']);
      expect(lines(calc)).toEqual([['unit', 'null', '12345', '0.0015', '0.00', '18.5175']]);
    });

    it('rounds half-up to the currency minor units', () => {
      const price = (currency: string, unitAmount: string): PriceDefinition => ({
        currency,
        billingScheme: 'per_unit',
        unitAmount,
      });
      // 1 × 0.005 = 0.005 → tie → 0.01; 3 × 0.0015 = 0.0045 → 0.00
      expect(amounts(priceQuantity(price('USD', '0.005'), '1'))).toEqual(['0.005', '0.01']);
      expect(amounts(priceQuantity(price('USD', '0.0015'), '3'))).toEqual(['0.0045', '0.00']);
      // JPY has no minor unit: 3 × 0.5 = 1.5 → 2
      expect(amounts(priceQuantity(price('JPY', '0.5'), '3'))).toEqual(['1.5', '2']);
      // KWD has three: 3 × 0.0005 = 0.0015 → 0.002
      expect(amounts(priceQuantity(price('KWD', '0.0005'), '3'))).toEqual(['0.0015', '0.002']);
      // 3 × 0.333 = 0.999 → 1.00
      expect(amounts(priceQuantity(price('USD', '0.333'), '3'))).toEqual(['0.999', '1.00']);
    });

    it('prices decimal quantities exactly where floats would drift', () => {
      const quantity = new MoneyDecimal('0.1').plus('0.2').toFixed();
      expect(quantity).toBe('0.3');
      // 0.3 × 0.1 = 0.03 (as floats, 0.1 + 0.2 = 0.30000000000000004 and 0.3 × 0.1 = 0.030000000000000002)
      const calc = priceQuantity(
        { currency: 'USD', billingScheme: 'per_unit', unitAmount: '0.1' },
        quantity,
      );
      expect(amounts(calc)).toEqual(['0.03', '0.03']);
    });

    it('charges nothing for a zero quantity', () => {
      const calc = priceQuantity(
        { currency: 'USD', billingScheme: 'per_unit', unitAmount: '9.99' },
        '0',
      );
      expect(amounts(calc)).toEqual(['0.00', '0.00']);
      expect(calc.breakdown).toEqual([]);
    });
  });

  describe('tiered graduated', () => {
    it('prices each tier’s units at that tier’s rate', () => {
      // 5 × 5.00 + 5 × 4.00 + 2 × 3.00 = 25 + 20 + 6 = 51.00
      const calc = priceQuantity(tiered('graduated', LADDER), '12');
      expect(amounts(calc)).toEqual(['51.00', '51.00']);
      expect(lines(calc)).toEqual([
        ['tier', '0', '5', '5.00', '0.00', '25.00'],
        ['tier', '1', '5', '4.00', '0.00', '20.00'],
        ['tier', '2', '2', '3.00', '0.00', '6.00'],
      ]);
    });

    it('treats upTo as inclusive and splits fractional units across a bound', () => {
      // 5 units all in tier 0: 25.00
      expect(lines(priceQuantity(tiered('graduated', LADDER), '5'))).toEqual([
        ['tier', '0', '5', '5.00', '0.00', '25.00'],
      ]);
      // 5.5 units: 5 × 5.00 + 0.5 × 4.00 = 27.00
      expect(amounts(priceQuantity(tiered('graduated', LADDER), '5.5'))).toEqual([
        '27.00',
        '27.00',
      ]);
    });

    it('adds a tier’s flat amount once when the quantity reaches into it', () => {
      // 12 units: 51.00 + 10.00 + 20.00 = 81.00
      expect(amounts(priceQuantity(tiered('graduated', LADDER_WITH_FLATS), '12'))).toEqual([
        '81.00',
        '81.00',
      ]);
      // 3 units: 3 × 5.00 + 10.00 = 25.00 (tier 1 not reached, its flat fee not due)
      expect(lines(priceQuantity(tiered('graduated', LADDER_WITH_FLATS), '3'))).toEqual([
        ['tier', '0', '3', '5.00', '10.00', '25.00'],
      ]);
      // 5.000001 units: 25.00 + 10.00 + 0.000001 × 4.00 + 20.00 = 55.000004 → 55.00
      expect(amounts(priceQuantity(tiered('graduated', LADDER_WITH_FLATS), '5.000001'))).toEqual([
        '55.000004',
        '55.00',
      ]);
    });

    it('charges nothing, flat fees included, for zero units', () => {
      const calc = priceQuantity(tiered('graduated', LADDER_WITH_FLATS), '0');
      expect(amounts(calc)).toEqual(['0.00', '0.00']);
      expect(calc.breakdown).toEqual([]);
    });

    it('keeps a decimal bound exact: 0.1 + 0.2 units stay in a tier up to 0.3', () => {
      const tiers: PriceTier[] = [
        { upTo: '0.3', unitAmount: '10' },
        { upTo: null, unitAmount: '1000' },
      ];
      const quantity = new MoneyDecimal('0.1').plus('0.2').toFixed();
      // 0.3 × 10 = 3.00; a float 0.30000000000000004 would spill 4e-17 units into tier 1
      const calc = priceQuantity(tiered('graduated', tiers), quantity);
      expect(lines(calc)).toEqual([['tier', '0', '0.3', '10.00', '0.00', '3.00']]);
    });
  });

  describe('tiered volume', () => {
    it('prices every unit at the rate of the tier the total falls in', () => {
      // 12 units → tier 2: 12 × 3.00 = 36.00
      const calc = priceQuantity(tiered('volume', LADDER), '12');
      expect(lines(calc)).toEqual([['tier', '2', '12', '3.00', '0.00', '36.00']]);
      // 10 units → tier 1 (bound inclusive): 10 × 4.00 = 40.00
      expect(amounts(priceQuantity(tiered('volume', LADDER), '10'))).toEqual(['40.00', '40.00']);
      // 10.5 units → tier 2: 10.5 × 3.00 = 31.50
      expect(amounts(priceQuantity(tiered('volume', LADDER), '10.5'))).toEqual(['31.50', '31.50']);
    });

    it('adds only the chosen tier’s flat amount', () => {
      // 7 units → tier 1: 7 × 4.00 + 20.00 = 48.00
      expect(lines(priceQuantity(tiered('volume', LADDER_WITH_FLATS), '7'))).toEqual([
        ['tier', '1', '7', '4.00', '20.00', '48.00'],
      ]);
      expect(priceQuantity(tiered('volume', LADDER_WITH_FLATS), '0').breakdown).toEqual([]);
    });
  });

  describe('package', () => {
    const pack = (round: 'up' | 'down'): PriceDefinition => ({
      currency: 'USD',
      billingScheme: 'per_unit',
      unitAmount: '5.00',
      transformQuantity: { divideBy: '100', round },
    });

    it('rounds the package count up', () => {
      // 101 units → 2 packages × 5.00 = 10.00; 100 → 1 → 5.00; 0.5 → 1 → 5.00
      expect(lines(priceQuantity(pack('up'), '101'))).toEqual([
        ['package', 'null', '2', '5.00', '0.00', '10.00'],
      ]);
      expect(amounts(priceQuantity(pack('up'), '100'))).toEqual(['5.00', '5.00']);
      expect(amounts(priceQuantity(pack('up'), '0.5'))).toEqual(['5.00', '5.00']);
    });

    it('rounds the package count down', () => {
      // 199 units → 1 package; 99 → 0 packages → nothing
      expect(amounts(priceQuantity(pack('down'), '199'))).toEqual(['5.00', '5.00']);
      expect(amounts(priceQuantity(pack('down'), '200'))).toEqual(['10.00', '10.00']);
      const calc = priceQuantity(pack('down'), '99');
      expect(amounts(calc)).toEqual(['0.00', '0.00']);
      expect(calc.breakdown).toEqual([]);
    });
  });

  describe('included quantity', () => {
    it('frees the first units of a per-unit price', () => {
      const price: PriceDefinition = {
        currency: 'USD',
        billingScheme: 'per_unit',
        unitAmount: '0.10',
        includedQuantity: '1000',
      };
      // 1,500 − 1,000 = 500 × 0.10 = 50.00
      const over = priceQuantity(price, '1500');
      expect([over.includedQuantity, over.billableQuantity, ...amounts(over)]).toEqual([
        '1000',
        '500',
        '50.00',
        '50.00',
      ]);
      const under = priceQuantity(price, '999');
      expect([under.includedQuantity, under.billableQuantity, ...amounts(under)]).toEqual([
        '999',
        '0',
        '0.00',
        '0.00',
      ]);
    });

    it('comes off before the tiers: graduated tiers count billable units', () => {
      const price: PriceDefinition = {
        ...tiered('graduated', [
          { upTo: '50', unitAmount: '1.00', flatAmount: '7.00' },
          { upTo: null, unitAmount: '0.50' },
        ]),
        includedQuantity: '100',
      };
      // 180 − 100 = 80 billable: 50 × 1.00 + 7.00 + 30 × 0.50 = 72.00
      const calc = priceQuantity(price, '180');
      expect(lines(calc)).toEqual([
        ['tier', '0', '50', '1.00', '7.00', '57.00'],
        ['tier', '1', '30', '0.50', '0.00', '15.00'],
      ]);
      expect(amounts(calc)).toEqual(['72.00', '72.00']);
      // 100 units, all included: nothing, not even tier 0's flat amount
      expect(amounts(priceQuantity(price, '100'))).toEqual(['0.00', '0.00']);
    });

    it('comes off before the tiers: volume picks the tier of the billable quantity', () => {
      const price: PriceDefinition = {
        ...tiered('volume', [
          { upTo: '50', unitAmount: '1.00' },
          { upTo: null, unitAmount: '0.50' },
        ]),
        includedQuantity: '100',
      };
      // 140 − 100 = 40 billable → tier 0: 40 × 1.00 = 40.00
      expect(lines(priceQuantity(price, '140'))).toEqual([
        ['tier', '0', '40', '1.00', '0.00', '40.00'],
      ]);
    });

    it('comes off before the packages are counted', () => {
      const price: PriceDefinition = {
        currency: 'USD',
        billingScheme: 'per_unit',
        unitAmount: '5.00',
        transformQuantity: { divideBy: '100', round: 'up' },
        includedQuantity: '50',
      };
      // 251 − 50 = 201 → 3 packages × 5.00 = 15.00
      expect(amounts(priceQuantity(price, '251'))).toEqual(['15.00', '15.00']);
    });
  });

  describe('refusals', () => {
    const perUnit: PriceDefinition = {
      currency: 'USD',
      billingScheme: 'per_unit',
      unitAmount: '1',
    };

    it.each([
      ['-1'],
      ['1e3'],
      [''],
      [' 1'],
      ['1.'],
      ['.5'],
      ['01'],
      ['abc'],
      ['1.1234567'],
      ['1000000000000'],
    ])('refuses the quantity %j with BILLING_QUANTITY_INVALID', (quantity) => {
      const error = thrown(() => priceQuantity(perUnit, quantity));
      expect(error).toBeInstanceOf(PricingError);
      expect(error).toMatchObject({ code: 'BILLING_QUANTITY_INVALID', path: 'quantity' });
    });

    it('refuses a number where a decimal string is due (a float never gets in)', () => {
      const call = () => priceQuantity(perUnit, 0.3 as unknown as string);
      expect(call).toThrow(PricingError);
      expect(call).toThrow('quantity: must be a non-negative decimal string');
    });

    it('accepts the largest quantity of the envelope and prices it exactly', () => {
      // 999,999,999,999.999999 × 0.0000000001 = 99.9999999999999999 → 100.00
      const calc = priceQuantity(
        { currency: 'USD', billingScheme: 'per_unit', unitAmount: '0.0000000001' },
        '999999999999.999999',
      );
      expect(amounts(calc)).toEqual(['99.9999999999999999', '100.00']);
    });

    it('refuses an invalid price before looking at the quantity', () => {
      const error = thrown(() =>
        priceQuantity({ currency: 'usd', billingScheme: 'per_unit', unitAmount: '1' }, 'x'),
      );
      expect(error).toMatchObject({ code: PricingErrorCode.PRICE_INVALID, path: 'currency' });
    });
  });
});
