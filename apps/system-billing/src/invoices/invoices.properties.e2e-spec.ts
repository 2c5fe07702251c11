import fc from 'fast-check';
import type { BillingProductResponse, InvoiceResponse } from '@revgate/canonical';
import { billingApp } from '../billing.app';
import { BillingConfig } from '../billing.config';
import { http, startTestApp, TestApp } from '../../../../test/support/test-app';
import { Billing } from '../../test/billing-fixtures';

/*
 * Properties of real invoices, drafted and finalized through the API: whatever the quantities, unit
 * prices (with more decimals than the currency) and discounts, and whatever the currency's minor
 * units. The oracle counts minor units as BigInts, independently of the code under test.
 */
const PLACES: Record<string, number> = { USD: 2, JPY: 0, KWD: 3 };

function minor(amount: string, places: number): bigint {
  const negative = amount.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = BigInt(whole + fraction.padEnd(places, '0'));
  return negative ? -value : value;
}

/** Exactly the currency's decimals: "12.30" in USD, "12" in JPY, "1.005" in KWD. */
const exactly = (places: number): RegExp =>
  places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`);

const decimal = (maxInt: number, maxScale: number, positive: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.bigInt({ min: positive ? 1n : 0n, max: 10n ** BigInt(maxInt) - 1n }),
      fc.integer({ min: 0, max: maxScale }),
    )
    .map(([units, scale]) => {
      const digits = units.toString().padStart(scale + 1, '0');
      return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    })
    .filter((s) => !positive || /[1-9]/.test(s));

describe('invoice properties (e2e)', () => {
  let t: TestApp<BillingConfig>;
  let billing: Billing;
  let rw: string;
  let product: BillingProductResponse;
  const customers: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(billingApp);
    billing = new Billing(t, http);
    rw = t.token(['billing:read', 'billing:write']);
    product = await billing.createProduct(rw);
    for (const currency of Object.keys(PLACES))
      customers[currency] = (await billing.createCustomer(rw, { currency })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const line = fc.record({
    quantity: decimal(6, 6, true),
    unitAmount: decimal(6, 10, false),
    discountPercent: fc.option(
      fc.integer({ min: 0, max: 10_000 }).map((bp) => (bp / 100).toFixed(2)),
      { nil: undefined },
    ),
  });

  it('a finalized invoice totals the sum of its lines, and no amount has more decimals than its currency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('USD', 'JPY', 'KWD'),
        fc.array(line, { minLength: 1, maxLength: 5 }),
        async (currency, lines) => {
          const places = PLACES[currency] ?? 2;
          const draft = await billing.createInvoice(rw, {
            customerId: customers[currency],
            oneTimeLines: lines.map((l) => ({
              productId: product.id,
              quantity: l.quantity,
              unitAmount: l.unitAmount,
              ...(l.discountPercent === undefined ? {} : { discountPercent: l.discountPercent }),
            })),
          });
          const invoice: InvoiceResponse = await billing.finalize(rw, draft.id);
          const amounts = [
            ...invoice.lines.map((l) => l.amount),
            invoice.subtotal,
            invoice.totalTax,
            invoice.total,
            invoice.amountPaid,
            invoice.amountCredited,
            invoice.amountRemaining,
          ];
          for (const amount of amounts) expect(amount).toMatch(exactly(places));
          const sum = invoice.lines.reduce((s, l) => s + minor(l.amount, places), 0n);
          expect(minor(invoice.total, places)).toBe(sum);
          expect(minor(invoice.subtotal, places) + minor(invoice.totalTax, places)).toBe(sum);
          // Each line is rounded once from its exact amount: |line − quantity × unit price| ≤ ½ minor unit.
          invoice.lines
            .filter((l) => l.type === 'one_time')
            .forEach((l) => {
              const scale = 16n;
              const exact = minor(l.quantity ?? '0', 6) * minor(l.unitAmount ?? '0', 10); // × 10^16
              const rounded = minor(l.amount, places) * 10n ** (scale - BigInt(places));
              const half = 10n ** (scale - BigInt(places)) / 2n;
              const diff = exact > rounded ? exact - rounded : rounded - exact;
              expect(diff <= half).toBe(true);
            });
          if (invoice.status === 'finalized') expect(invoice.amountRemaining).toBe(invoice.total);
        },
      ),
      { numRuns: 25 },
    );
  });
});
