import fc from 'fast-check';
import { MoneyDecimal } from '../money/money';
import { arInvoiceLines, type BillingLineLike } from './ar-posting';

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
