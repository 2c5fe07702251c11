import fc from 'fast-check';
import { minorUnits } from '@revgate/canonical';
import {
  priceQuantity,
  type PerUnitPrice,
  type PriceDefinition,
  type PriceTier,
  type TieredPrice,
} from './index';

/*
 * The oracle: a second, independent formulation of the pricing rules in scaled BigInt integers
 * (quantities in millionths, amounts in 10^-10, products in 10^-16). It shares no code with the
 * engine, which computes with decimal.js, so an agreement between the two means something.
 */
const Q = 6; // quantity decimals
const A = 10; // amount decimals
const P = Q + A; // product decimals

function toScaled(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -value : value;
}

function toText(value: bigint, scale: number): string {
  const digits = value.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Half-up rounding of a non-negative scaled value to `places` decimals, still scaled by `scale`. */
function roundHalfUp(value: bigint, scale: number, places: number): bigint {
  const step = 10n ** BigInt(scale - places);
  const down = (value / step) * step;
  return 2n * (value - down) >= step ? down + step : down;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

interface OracleTier {
  upTo: bigint | null; // scale Q
  unit: bigint; // scale A
  flat: bigint; // scale A
}

function oracleTiers(tiers: readonly PriceTier[]): OracleTier[] {
  return tiers.map((t) => ({
    upTo: t.upTo === null ? null : toScaled(t.upTo, Q),
    unit: toScaled(t.unitAmount, A),
    flat: toScaled(t.flatAmount ?? '0', A),
  }));
}

/** Graduated: for every tier, the units of [lower, upper) the quantity covers, plus the flat fee. */
function oracleGraduated(tiers: readonly OracleTier[], quantity: bigint): bigint {
  let total = 0n;
  tiers.forEach((tier, i) => {
    const lower = i === 0 ? 0n : (tiers[i - 1].upTo ?? 0n);
    const covered = max(0n, (tier.upTo === null ? quantity : min(quantity, tier.upTo)) - lower);
    if (covered > 0n) total += covered * tier.unit + tier.flat * 10n ** BigInt(Q);
  });
  return total;
}

/** Volume: the last tier whose lower bound lies below the quantity prices all of it. */
function oracleVolume(tiers: readonly OracleTier[], quantity: bigint): bigint {
  if (quantity === 0n) return 0n;
  const chosen = tiers.filter((_, i) => i === 0 || quantity > tiers[i - 1].upTo!).at(-1)!;
  return quantity * chosen.unit + chosen.flat * 10n ** BigInt(Q);
}

/* Generators: decimal strings of assorted scales, the way callers write them. */

function decimalText(units: bigint, scale: number): string {
  return toText(units, scale);
}

/** Quantities below 10^12 with 0–6 decimals; small ones are common. */
const quantityText = fc
  .tuple(
    fc.oneof(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 0n, max: 999_999_999_999n })),
    fc.integer({ min: 0, max: Q }),
  )
  .map(([units, scale]) => decimalText(units, scale));

/** Unit amounts below 10^9 with 0–10 decimals (sub-cent prices included). */
const unitAmountText = fc
  .tuple(fc.bigInt({ min: 0n, max: 999_999_999n }), fc.integer({ min: 0, max: A }))
  .map(([units, scale]) => decimalText(units, scale));

const flatAmountText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: A }))
  .map(([units, scale]) => decimalText(units, scale));

const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'CLF');

/** 1–5 tiers with strictly ascending bounds (in millionths) and an unbounded last tier. */
const tiersArb = fc
  .array(
    fc.record({
      width: fc.oneof(
        fc.bigInt({ min: 1n, max: 1_000n }).map((n) => n * 1_000_000n),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
      ),
      unitAmount: unitAmountText,
      flatAmount: fc.option(flatAmountText, { nil: undefined }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((raw) => {
    let bound = 0n;
    return raw.map(({ width, unitAmount, flatAmount }, i): PriceTier => {
      bound += width;
      const upTo = i === raw.length - 1 ? null : decimalText(bound, Q);
      return flatAmount === undefined ? { upTo, unitAmount } : { upTo, unitAmount, flatAmount };
    });
  });

const tieredPrice = (cur: string, tiersMode: 'graduated' | 'volume', tiers: PriceTier[]) =>
  ({ currency: cur, billingScheme: 'tiered', tiersMode, tiers }) satisfies TieredPrice;

/** Any quantity-based price: per unit, package, graduated or volume (no included quantity). */
const quantityPrice: fc.Arbitrary<PerUnitPrice | TieredPrice> = fc.oneof(
  fc.tuple(currency, unitAmountText).map(([cur, unitAmount]): PerUnitPrice => ({
    currency: cur,
    billingScheme: 'per_unit',
    unitAmount,
  })),
  fc
    .tuple(
      currency,
      unitAmountText,
      fc.bigInt({ min: 1n, max: 10_000n }),
      fc.constantFrom('up' as const, 'down' as const),
    )
    .map(([cur, unitAmount, size, round]): PerUnitPrice => ({
      currency: cur,
      billingScheme: 'per_unit',
      unitAmount,
      transformQuantity: { divideBy: size.toString(), round },
    })),
  fc
    .tuple(currency, fc.constantFrom('graduated' as const, 'volume' as const), tiersArb)
    .map(([cur, mode, tiers]) => tieredPrice(cur, mode, tiers)),
);

const exact = (text: string) => toScaled(text, P);

describe('pricing properties', () => {
  it('graduated: the total is monotone non-decreasing in the quantity', () => {
    fc.assert(
      fc.property(currency, tiersArb, quantityText, quantityText, (cur, tiers, a, b) => {
        const [low, high] = toScaled(a, Q) <= toScaled(b, Q) ? [a, b] : [b, a];
        const price = tieredPrice(cur, 'graduated', tiers);
        const lowCalc = priceQuantity(price, low);
        const highCalc = priceQuantity(price, high);
        expect(exact(lowCalc.amount.toString())).toBeLessThanOrEqual(
          exact(highCalc.amount.toString()),
        );
        expect(lowCalc.roundedAmount.compare(highCalc.roundedAmount)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('graduated: the total is the sum of its breakdown, which covers every unit once', () => {
    fc.assert(
      fc.property(currency, tiersArb, quantityText, (cur, tiers, quantity) => {
        const calc = priceQuantity(tieredPrice(cur, 'graduated', tiers), quantity);
        let subtotals = 0n;
        let units = 0n;
        for (const line of calc.breakdown) {
          const lineUnits = toScaled(line.quantity, Q);
          const recomputed =
            lineUnits * toScaled(line.unitAmount.toString(), A) +
            toScaled(line.flatAmount.toString(), A) * 10n ** BigInt(Q);
          expect(exact(line.subtotal.toString())).toBe(recomputed);
          expect(lineUnits).toBeGreaterThan(0n);
          subtotals += recomputed;
          units += lineUnits;
        }
        expect(exact(calc.amount.toString())).toBe(subtotals);
        expect(units).toBe(toScaled(quantity, Q));
        expect(calc.breakdown.map((l) => l.tierIndex)).toEqual(calc.breakdown.map((_, i) => i));
      }),
    );
  });

  it('graduated and volume agree with the independent oracle, exact and rounded', () => {
    fc.assert(
      fc.property(
        currency,
        fc.constantFrom('graduated' as const, 'volume' as const),
        tiersArb,
        quantityText,
        (cur, mode, tiers, quantity) => {
          const calc = priceQuantity(tieredPrice(cur, mode, tiers), quantity);
          const q = toScaled(quantity, Q);
          const expected =
            mode === 'graduated'
              ? oracleGraduated(oracleTiers(tiers), q)
              : oracleVolume(oracleTiers(tiers), q);
          expect(exact(calc.amount.toString())).toBe(expected);
          expect(exact(calc.roundedAmount.toString())).toBe(
            roundHalfUp(expected, P, minorUnits(cur)),
          );
        },
      ),
    );
  });

  it('volume with a single unbounded tier is per-unit pricing', () => {
    fc.assert(
      fc.property(currency, unitAmountText, quantityText, (cur, unitAmount, quantity) => {
        const volume = priceQuantity(
          tieredPrice(cur, 'volume', [{ upTo: null, unitAmount }]),
          quantity,
        );
        const perUnit = priceQuantity(
          { currency: cur, billingScheme: 'per_unit', unitAmount },
          quantity,
        );
        expect(volume.amount.equals(perUnit.amount)).toBe(true);
        expect(volume.roundedAmount.equals(perUnit.roundedAmount)).toBe(true);
        // and both are quantity × unit amount, computed here in integers
        expect(exact(volume.amount.toString())).toBe(
          toScaled(quantity, Q) * toScaled(unitAmount, A),
        );
      }),
    );
  });

  it('package: package count × package price = amount, the count rounded as declared', () => {
    fc.assert(
      fc.property(
        currency,
        unitAmountText,
        fc.bigInt({ min: 1n, max: 10n ** 12n - 1n }),
        fc.constantFrom('up' as const, 'down' as const),
        quantityText,
        (cur, packagePrice, size, round, quantity) => {
          const calc = priceQuantity(
            {
              currency: cur,
              billingScheme: 'per_unit',
              unitAmount: packagePrice,
              transformQuantity: { divideBy: size.toString(), round },
            },
            quantity,
          );
          // count = ⌈q / size⌉ or ⌊q / size⌋, in millionths to stay in integers
          const q = toScaled(quantity, Q);
          const perPackage = size * 10n ** BigInt(Q);
          const floor = q / perPackage;
          const count = round === 'up' && q % perPackage !== 0n ? floor + 1n : floor;
          const packages = calc.breakdown.length === 0 ? 0n : BigInt(calc.breakdown[0].quantity);
          expect(packages).toBe(count);
          expect(exact(calc.amount.toString())).toBe(
            count * toScaled(packagePrice, A) * 10n ** BigInt(Q),
          );
        },
      ),
    );
  });

  it('an included quantity at or above the quantity makes any quantity price cost 0', () => {
    fc.assert(
      fc.property(
        quantityPrice,
        quantityText,
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (price, quantity, extra) => {
          const q = toScaled(quantity, Q);
          const includedQuantity = toText(min(q + extra, 10n ** 18n - 1n), Q);
          const calc = priceQuantity({ ...price, includedQuantity }, quantity);
          expect(calc.amount.isZero()).toBe(true);
          expect(calc.roundedAmount.isZero()).toBe(true);
          expect(calc.breakdown).toEqual([]);
          expect(toScaled(calc.billableQuantity, Q)).toBe(0n);
          expect(toScaled(calc.includedQuantity, Q)).toBe(q);
        },
      ),
    );
  });

  it('included quantity comes off first: price(q, included n) = price(max(0, q − n), none)', () => {
    fc.assert(
      fc.property(quantityPrice, quantityText, quantityText, (price, quantity, included) => {
        const withIncluded = priceQuantity({ ...price, includedQuantity: included }, quantity);
        const rest = max(0n, toScaled(quantity, Q) - toScaled(included, Q));
        const withoutIncluded = priceQuantity(price, toText(rest, Q));
        expect(withIncluded.amount.equals(withoutIncluded.amount)).toBe(true);
        expect(toScaled(withIncluded.billableQuantity, Q)).toBe(rest);
      }),
    );
  });

  it('the rounded amount has the currency decimals and is the half-up rounding of the exact one', () => {
    fc.assert(
      fc.property(quantityPrice, quantityText, (price, quantity) => {
        const calc = priceQuantity(price, quantity);
        const places = minorUnits(price.currency);
        const text = calc.roundedAmount.toString();
        expect(calc.roundedAmount.isRounded()).toBe(true);
        expect(text.split('.')[1]?.length ?? 0).toBe(places);
        expect(exact(text)).toBe(roundHalfUp(exact(calc.amount.toString()), P, places));
        // never further than half a minor unit from the exact amount
        const half = 5n * 10n ** BigInt(P - places - 1);
        const gap = exact(text) - exact(calc.amount.toString());
        expect(gap <= half && -gap <= half).toBe(true);
      }),
    );
  });

  it('never a float: per-unit pricing is additive over decimal quantities (0.1 + 0.2 = 0.3)', () => {
    const tenths = fc.integer({ min: 0, max: 1_000 }).map((n) => toText(BigInt(n), 1));
    fc.assert(
      fc.property(currency, unitAmountText, tenths, tenths, (cur, unitAmount, a, b) => {
        const price: PriceDefinition = { currency: cur, billingScheme: 'per_unit', unitAmount };
        const sum = toText(toScaled(a, 1) + toScaled(b, 1), 1);
        const whole = priceQuantity(price, sum).amount;
        const parts = priceQuantity(price, a).amount.plus(priceQuantity(price, b).amount);
        expect(whole.equals(parts)).toBe(true);
      }),
    );
  });

  it('never a float: a quantity summed to exactly a tier bound stays inside that tier', () => {
    const tenths = fc.integer({ min: 1, max: 1_000 }).map((n) => toText(BigInt(n), 1));
    fc.assert(
      fc.property(tenths, tenths, (a, b) => {
        const bound = toText(toScaled(a, 1) + toScaled(b, 1), 1);
        const price = tieredPrice('USD', 'graduated', [
          { upTo: bound, unitAmount: '1' },
          { upTo: null, unitAmount: '100' },
        ]);
        const calc = priceQuantity(price, bound);
        expect(calc.breakdown).toHaveLength(1);
        expect(exact(calc.amount.toString())).toBe(toScaled(bound, Q) * 10n ** BigInt(A));
      }),
    );
  });
});
