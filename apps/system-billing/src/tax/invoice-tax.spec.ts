import fc from 'fast-check';
import { minorUnits, MoneyDecimal, roundMoney } from '@revgate/canonical';
import type { NewInvoiceLine } from '../providers/billing-provider.port';
import type { TaxOutcome } from '../providers/tax.port';
import {
  invoiceTotals,
  NegativeTaxBaseError,
  netAmounts,
  taxableLines,
  withTax,
} from './invoice-tax';

/*
 * The oracle: integer counts of minor units (BigInt), never the code under test's decimals.
 */
const currency = fc.constantFrom('USD', 'EUR', 'JPY', 'KWD');
const rate = fc.constantFrom('0', '0.04', '0.0625', '0.05', '0.19', '0.255', '0.2');

const text = (minor: bigint, places: number): string => {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(places + 1, '0');
  const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${body}` : body;
};
const minorOf = (amount: string, places: number): bigint => {
  const negative = amount.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  if (fraction.length > places) throw new Error(`${amount} has more than ${places} decimals`);
  const value = BigInt(whole + fraction.padEnd(places, '0'));
  return negative ? -value : value;
};

let ids = 0;
const newId = (): string => `line-${++ids}`;

interface Case {
  currency: string;
  lines: NewInvoiceLine[];
}

/** Charge lines with, now and then, a discount or credit that applies to one of them (never more than it). */
const invoiceCase: fc.Arbitrary<Case> = currency.chain((cur) => {
  const places = minorUnits(cur);
  const charge = fc.record({
    minor: fc.bigInt({ min: 0n, max: 10n ** 11n }),
    taxCode: fc.constantFrom('SW054000', 'P0000000'),
    type: fc.constantFrom('subscription' as const, 'usage' as const, 'one_time' as const),
  });
  return fc
    .array(
      fc.record({
        charge,
        reduction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((specs) => {
      const lines: NewInvoiceLine[] = [];
      for (const spec of specs) {
        const id = newId();
        lines.push({
          id,
          customerId: 'c',
          type: spec.charge.type,
          description: 'charge',
          quantity: '1',
          amount: text(spec.charge.minor, places),
          proration: false,
          source: { kind: 'manual' },
          taxCode: spec.charge.taxCode,
        });
        if (spec.reduction !== undefined) {
          const off = BigInt(Math.floor(Number(spec.charge.minor) * spec.reduction));
          lines.push({
            id: newId(),
            customerId: 'c',
            type: off % 2n === 0n ? 'discount' : 'credit',
            description: 'reduction',
            amount: text(-off, places),
            proration: false,
            source: { kind: 'manual' },
            appliesToLineId: id,
          });
        }
      }
      return { currency: cur, lines };
    });
});

/** The tax system's answer as the tax API computes it: per line, half-up, on the net amount. */
function answer(c: Case, rates: string[], calculated = true): TaxOutcome {
  const taxable = taxableLines(c.lines);
  const lines = taxable.map((l, i) => {
    const r = rates[i % rates.length] ?? '0';
    return {
      number: l.number,
      tax: roundMoney(new MoneyDecimal(l.amount).times(r), c.currency),
      rate: r,
      taxability: r === '0' ? ('non_taxable' as const) : ('taxable' as const),
      jurisdiction: { country: 'US', region: 'NY', name: 'New York', taxName: 'Sales tax' },
    };
  });
  return {
    calculated,
    lines,
    totalTax: roundMoney(
      lines.reduce((s, l) => s.plus(l.tax), new MoneyDecimal(0)),
      c.currency,
    ),
    notes: [],
  };
}

describe('invoice tax and totals (properties)', () => {
  it('an invoice total is the sum of its lines, and subtotal + tax = total', () => {
    fc.assert(
      fc.property(
        invoiceCase,
        fc.array(rate, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (c, rates, calculated) => {
          const lines = withTax(c.lines, answer(c, rates, calculated), c.currency, newId);
          const totals = invoiceTotals(lines, c.currency);
          const places = minorUnits(c.currency);
          const sum = lines.reduce((s, l) => s + minorOf(l.amount, places), 0n);
          expect(minorOf(totals.total, places)).toBe(sum);
          expect(minorOf(totals.subtotal, places) + minorOf(totals.totalTax, places)).toBe(sum);
          const taxSum = lines
            .filter((l) => l.type === 'tax')
            .reduce((s, l) => s + minorOf(l.amount, places), 0n);
          expect(minorOf(totals.totalTax, places)).toBe(taxSum);
        },
      ),
    );
  });

  it('no amount has more decimals than the currency, and totals have exactly its decimals', () => {
    fc.assert(
      fc.property(invoiceCase, fc.array(rate, { minLength: 1, maxLength: 4 }), (c, rates) => {
        const lines = withTax(c.lines, answer(c, rates), c.currency, newId);
        const places = minorUnits(c.currency);
        for (const line of lines) expect(() => minorOf(line.amount, places)).not.toThrow();
        const exactly = places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`);
        for (const value of Object.values(invoiceTotals(lines, c.currency)))
          expect(value).toMatch(exactly);
      }),
    );
  });

  it('sends each charge line net of what applies to it, so the document adds up to the subtotal', () => {
    fc.assert(
      fc.property(invoiceCase, (c) => {
        const places = minorUnits(c.currency);
        const taxable = taxableLines(c.lines);
        const document = taxable.reduce((s, l) => s + minorOf(l.amount, places), 0n);
        const subtotal = c.lines.reduce((s, l) => s + minorOf(l.amount, places), 0n);
        expect(document).toBe(subtotal);
        expect(taxable.every((l) => !l.amount.startsWith('-'))).toBe(true);
      }),
    );
  });

  it('adds one tax line per taxed charge line, right after it, and none when tax is not calculated', () => {
    fc.assert(
      fc.property(invoiceCase, (c) => {
        const taxed = withTax(c.lines, answer(c, ['0.0625']), c.currency, newId);
        taxed.forEach((line, i) => {
          if (line.type === 'tax') expect(taxed[i - 1]?.id).toBe(line.appliesToLineId);
        });
        const untaxed = withTax(c.lines, answer(c, ['0.0625'], false), c.currency, newId);
        expect(untaxed.filter((l) => l.type === 'tax')).toEqual([]);
        for (const line of untaxed)
          if (['subscription', 'usage', 'one_time'].includes(line.type))
            expect(line.taxStatus).toBe('not_calculated');
      }),
    );
  });
});

describe('invoice tax', () => {
  const line = (
    id: string,
    amount: string,
    extra: Partial<NewInvoiceLine> = {},
  ): NewInvoiceLine => ({
    id,
    customerId: 'c',
    type: 'one_time',
    description: id,
    amount,
    proration: false,
    source: { kind: 'manual' },
    taxCode: 'SW054000',
    ...extra,
  });

  it('nets a discount into the line it applies to', () => {
    const net = netAmounts([
      line('a', '100.00'),
      line('d', '-10.00', { type: 'discount', appliesToLineId: 'a', taxCode: undefined }),
      line('b', '50.00'),
    ]);
    expect(net.get('a')?.toFixed()).toBe('90');
    expect(net.get('b')?.toFixed()).toBe('50');
  });

  it('refuses a reduction that applies to no charge line of the invoice', () => {
    expect(() => netAmounts([line('a', '1.00'), line('x', '-1.00', { type: 'credit' })])).toThrow(
      /applies to no charge line/,
    );
  });

  it('hands a negative usage line to the other lines of its tax code, for tax only', () => {
    const taxable = taxableLines([
      line('a', '100.00', { type: 'usage' }),
      line('b', '-30.00', { type: 'usage' }),
      line('c', '20.00', { taxCode: 'P0000000' }),
    ]);
    expect(taxable.map((l) => [l.number, l.amount])).toEqual([
      ['a', '70'],
      ['b', '0'],
      ['c', '20'],
    ]);
    expect(() =>
      taxableLines([line('a', '10.00'), line('b', '-30.00', { type: 'usage' })]),
    ).toThrow(NegativeTaxBaseError);
  });

  it('sends a quantity of 1 for a line without a positive quantity, and the product sku as item code', () => {
    const [sent] = taxableLines(
      [line('a', '5.00', { quantity: '0', productId: 'p' })],
      new Map([['p', 'SKU-1']]),
    );
    expect(sent).toMatchObject({ quantity: '1', itemCode: 'SKU-1', taxCode: 'SW054000' });
  });
});
