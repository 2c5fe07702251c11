import { MoneyDecimal, roundMoney } from '@revgate/canonical';
import fc from 'fast-check';
import {
  invoiceDifference,
  likePrefix,
  moveDescription,
  readNotes,
  splitDescription,
  trytonLineShape,
  writeNotes,
} from './tryton-ledger.mapping';
import { TrytonInvoice, TrytonInvoiceInput } from './tryton-ledger.types';

const cents = fc
  .integer({ min: 0, max: 1_000_000_000 })
  .map((c) => new MoneyDecimal(c).dividedBy(100).toFixed(2));

describe('trytonLineShape', () => {
  it('always gives back the amount, whichever way Tryton rounds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), cents, (quantity, amount) => {
        const { quantity: q, unitPrice } = trytonLineShape(String(quantity), amount, 'USD');
        const product = q.times(unitPrice);
        return (
          roundMoney(product, 'USD', 'half_up') === amount &&
          roundMoney(product, 'USD', 'half_even') === amount &&
          unitPrice.decimalPlaces() <= 4
        );
      }),
    );
  });

  it('keeps the quantity when a 4-decimal unit price gives the amount, else one unit at the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (quantity, priceCents) => {
          const amount = new MoneyDecimal(priceCents).dividedBy(100).times(quantity).toFixed(2);
          const shape = trytonLineShape(String(quantity), amount, 'USD');
          return shape.quantity.toNumber() === quantity;
        },
      ),
    );
    expect(trytonLineShape('3', '100.00', 'USD')).toEqual({
      quantity: new MoneyDecimal(3),
      unitPrice: new MoneyDecimal('33.3333'),
    });
    expect(trytonLineShape('1234567', '123.45', 'USD').quantity.toNumber()).toBe(1);
    expect(trytonLineShape('2.5', '375.00', 'USD')).toEqual({
      quantity: new MoneyDecimal(1),
      unitPrice: new MoneyDecimal('375.00'),
    });
    expect(trytonLineShape('0', '0.00', 'USD').quantity.toNumber()).toBe(1);
  });
});

describe('what the connector keeps in Tryton text fields', () => {
  const externalId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:%\\-]{0,40}$/);

  it('reads back the external id and memo of a move description (property)', () => {
    fc.assert(
      fc.property(
        externalId,
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (id, memo) => {
          const back = splitDescription(moveDescription(id, memo));
          return back.externalId === id && back.memo === memo;
        },
      ),
    );
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(likePrefix('JE_2026%01\\x')).toBe('JE\\_2026\\%01\\\\x %');
    expect(likePrefix('PLAIN-1')).toBe('PLAIN-1 %');
  });

  it('writes and reads the invoice notes (kind, credited invoice, fingerprint)', () => {
    const notes = { kind: 'credit_note' as const, appliesTo: 'INV-1', fingerprint: 'abc:def' };
    expect(readNotes(writeNotes(notes))).toEqual(notes);
    expect(readNotes(writeNotes({ kind: 'invoice' }))).toEqual({ kind: 'invoice' });
    expect(readNotes(undefined)).toEqual({});
    expect(readNotes('free text a person wrote\nRevgate kind: credit_note')).toEqual({
      kind: 'credit_note',
    });
  });
});

describe('invoiceDifference', () => {
  const input: TrytonInvoiceInput = {
    reference: 'INV-1',
    kind: 'invoice',
    partyCode: 'C1',
    currency: 'USD',
    date: '2026-11-30',
    description: 'Nov',
    fingerprint: 'f',
    lines: [
      {
        accountCode: '4000',
        productCode: 'P',
        description: '3 seats',
        quantity: '3',
        amount: '100.00',
      },
      { accountCode: '4100', quantity: '1', amount: '5' },
    ],
    taxes: [{ accountCode: '2200', description: 'tax', base: '105.00', amount: '8.66' }],
  };
  const posted: TrytonInvoice = {
    createdAt: new Date('2026-11-30T10:00:00Z'),
    updatedAt: new Date('2026-11-30T10:00:01Z'),
    id: 1,
    reference: 'INV-1',
    kind: 'invoice',
    number: 'US01-INV-2026-00001',
    state: 'posted',
    partyCode: 'C1',
    currency: 'USD',
    date: '2026-11-30',
    period: '2026-11',
    description: 'Nov',
    fingerprint: 'f',
    untaxedAmount: '105.00',
    taxAmount: '8.66',
    totalAmount: '113.66',
    amountToPay: '113.66',
    dueDate: '2026-12-30',
    lines: [
      {
        id: 1,
        accountCode: '4000',
        productCode: 'P',
        description: '3 seats',
        quantity: '3',
        unitPrice: '33.3333',
        amount: '100.00',
      },
      { id: 2, accountCode: '4100', quantity: '1', unitPrice: '5', amount: '5.00' },
    ],
    taxes: [{ accountCode: '2200', description: 'tax', base: '105.00', amount: '8.66' }],
    moveLines: [],
    credited: '0.00',
    paid: '0.00',
  };

  it('finds nothing between a posting and the request that made it (decimals compare by value)', () => {
    expect(invoiceDifference(posted, input)).toBeUndefined();
  });

  it.each<[string, Partial<TrytonInvoiceInput>]>([
    ['customer', { partyCode: 'C2' }],
    ['currency', { currency: 'EUR' }],
    ['date', { date: '2026-11-29' }],
    ['description', { description: 'Dec' }],
    ['fingerprint', { fingerprint: 'g' }],
    ['fingerprint', { fingerprint: undefined }],
    ['credited invoice', { appliesTo: 'INV-0' }],
    ['due date', { dueDate: '2026-12-31' }],
    ['number of lines', { lines: input.lines.slice(0, 1) }],
    ['line 1', { lines: [{ ...input.lines[0], amount: '100.01' }, input.lines[1]] }],
    ['line 1', { lines: [{ ...input.lines[0], accountCode: '4100' }, input.lines[1]] }],
    ['line 1', { lines: [{ ...input.lines[0], quantity: '4' }, input.lines[1]] }],
    ['line 2', { lines: [input.lines[0], { ...input.lines[1], productCode: 'P' }] }],
    ['taxes', { taxes: [] }],
    ['taxes', { taxes: [{ ...input.taxes![0], amount: '8.67' }] }],
  ])('tells other content apart: %s', (what, change) => {
    expect(invoiceDifference(posted, { ...input, ...change })).toBe(what);
  });
});
