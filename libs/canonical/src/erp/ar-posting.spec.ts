import fc from 'fast-check';
import { MoneyDecimal } from '../money/money';
import {
  arCreditMemoLines,
  arInvoiceLines,
  type BillingLineLike,
  type CreditLineLike,
} from './ar-posting';

const charge = (id: string, amount: string, productId = 'p1', extra = {}): BillingLineLike => ({
  id,
  type: 'subscription',
  description: `charge ${id}`,
  productId,
  quantity: '2',
  amount,
  taxCode: 'SW054000',
  servicePeriod: { from: '2026-01-01', to: '2026-02-01' },
  ...extra,
});
const applying = (type: string, id: string, to: string, amount: string): BillingLineLike => ({
  id,
  type,
  description: `${type} ${id}`,
  amount,
  appliesToLineId: to,
});
const items: Record<string, string> = { p1: 'PLAT', p2: 'ADDON' };
const itemOf = (l: BillingLineLike): string | undefined =>
  l.productId === undefined ? undefined : items[l.productId];

describe('arInvoiceLines', () => {
  it('posts each charge at its net, with the tax that applies to it, and the service period', () => {
    const result = arInvoiceLines(
      [
        charge('a', '1000.00'),
        applying('discount', 'd', 'a', '-100.00'),
        applying('tax', 't', 'a', '36.00'),
        charge('b', '50.00', 'p2', {
          type: 'one_time',
          quantity: undefined,
          servicePeriod: undefined,
        }),
      ],
      'USD',
      itemOf,
    );
    expect(result).toEqual({
      ok: true,
      total: '986.00',
      lines: [
        {
          itemCode: 'PLAT',
          description: 'charge a',
          quantity: '2',
          amount: '900.00',
          taxAmount: '36.00',
          taxCode: 'SW054000',
          servicePeriod: { start: '2026-01-01', end: '2026-02-01' },
        },
        {
          itemCode: 'ADDON',
          description: 'charge b',
          quantity: '1',
          amount: '50.00',
          taxAmount: '0.00',
          taxCode: 'SW054000',
        },
      ],
    });
  });

  it('lists what cannot be posted instead of posting it', () => {
    const result = arInvoiceLines(
      [
        charge('a', '10.00', 'unmapped'),
        applying('credit', 'c', 'nowhere', '-1.00'),
        charge('b', '5.00', 'p2'),
        applying('discount', 'd', 'b', '-9.00'),
      ],
      'USD',
      itemOf,
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        'credit line "credit c" applies to no charge line',
        'line "charge a" is of product unmapped, which has no ERP item',
        'the lines of item ADDON net below zero: that is a credit memo',
      ]);
  });

  it('hands a negative charge to the other charges of its item', () => {
    const result = arInvoiceLines(
      [
        charge('a', '30.00'),
        charge('b', '-10.00', 'p1', { type: 'usage' }),
        charge('c', '5.00', 'p2'),
      ],
      'USD',
      itemOf,
    );
    expect(result.ok && result.lines.map((l) => l.amount)).toEqual(['20.00', '0.00', '5.00']);
  });

  it('keeps the invoice total, and every line at zero or more, for any invoice it can post', () => {
    const cents = fc.integer({ min: 0, max: 1_000_000 }).map((c) => (c / 100).toFixed(2));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: cents,
            discount: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
            tax: fc.option(cents, { nil: undefined }),
            product: fc.constantFrom('p1', 'p2'),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs) => {
          const lines: BillingLineLike[] = [];
          specs.forEach((s, i) => {
            lines.push(charge(`c${i}`, s.amount, s.product));
            if (s.discount !== undefined) {
              const off = new MoneyDecimal(s.amount).times(s.discount).dividedBy(100).toFixed(2);
              lines.push(applying('discount', `d${i}`, `c${i}`, `-${off}`));
            }
            if (s.tax !== undefined) lines.push(applying('tax', `t${i}`, `c${i}`, s.tax));
          });
          const result = arInvoiceLines(lines, 'USD', itemOf);
          if (!result.ok) return false;
          const invoiceTotal = lines.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
          const posted = result.lines.reduce(
            (sum, l) => sum.plus(l.amount).plus(l.taxAmount),
            new MoneyDecimal(0),
          );
          return (
            posted.eq(invoiceTotal) &&
            new MoneyDecimal(result.total).eq(invoiceTotal) &&
            result.lines.every((l) => !new MoneyDecimal(l.amount).isNegative())
          );
        },
      ),
    );
  });
});

describe('arCreditMemoLines', () => {
  const credit = (amount: string, description = 'Unused time'): CreditLineLike => ({
    type: 'proration',
    description,
    amount,
    servicePeriod: { from: '2026-01-21', to: '2026-02-01' },
  });
  const tax = (amount: string): CreditLineLike => ({ type: 'tax', description: 'tax', amount });

  it('nets the lines of each item, spreads the tax by amount, and keeps the total', () => {
    // An upgrade credited net: −(new charge) + old credit on the same item, plus an add-on.
    const result = arCreditMemoLines(
      [credit('354.84'), credit('-141.94'), credit('100.00', 'Add-on'), tax('12.52')],
      'USD',
      (_l, i) => (i === 2 ? 'ADDON' : 'PLAT'),
    );
    expect(result).toEqual({
      ok: true,
      total: '325.42',
      lines: [
        {
          itemCode: 'PLAT',
          description: 'Unused time',
          quantity: '1',
          amount: '212.90',
          taxAmount: '8.52',
          servicePeriod: { start: '2026-01-21', end: '2026-02-01' },
        },
        {
          itemCode: 'ADDON',
          description: 'Add-on',
          quantity: '1',
          amount: '100.00',
          taxAmount: '4.00',
          servicePeriod: { start: '2026-01-21', end: '2026-02-01' },
        },
      ],
    });
  });

  it('refuses an item that nets below zero or a line without an item', () => {
    const result = arCreditMemoLines([credit('-5.00'), credit('1.00', 'x')], 'USD', (l) =>
      l.description === 'x' ? undefined : 'PLAT',
    );
    expect(result).toEqual({
      ok: false,
      problems: ['line "x" has no ERP item', 'the lines of item PLAT net below zero'],
    });
  });

  it('posts exactly the memo total for any memo it can post', () => {
    const cents = fc.integer({ min: 0, max: 500_000 }).map((c) => (c / 100).toFixed(2));
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: cents, item: fc.constantFrom('A', 'B', 'C') }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.array(cents, { maxLength: 3 }),
        (credits, taxes) => {
          const lines = [
            ...credits.map((c) => credit(c.amount, c.item)),
            ...taxes.map((t) => tax(t)),
          ];
          const result = arCreditMemoLines(lines, 'USD', (l) => l.description);
          if (!result.ok) return false;
          const memoTotal = lines.reduce((sum, l) => sum.plus(l.amount), new MoneyDecimal(0));
          const posted = result.lines.reduce(
            (sum, l) => sum.plus(l.amount).plus(l.taxAmount),
            new MoneyDecimal(0),
          );
          const allZero = credits.every((c) => new MoneyDecimal(c.amount).isZero());
          return allZero ? result.lines.length === 0 : posted.eq(memoTotal);
        },
      ),
    );
  });
});
