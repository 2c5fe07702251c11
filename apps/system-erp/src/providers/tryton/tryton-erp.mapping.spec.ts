import fc from 'fast-check';
import { DIMENSION_CODE, PAYMENT_TERMS } from '@revgate/canonical';
import {
  identifierOf,
  ledgerLineOf,
  lineDescription,
  readDetails,
  readLineDescription,
  registrationOf,
  taxLinesOf,
  termDays,
  termsOf,
  typeOf,
  writeDetails,
} from './tryton-erp.mapping';

describe('translations between the ERP port and the Tryton ledger', () => {
  it('reads account kinds as canonical types (payable is a liability, no type is no account)', () => {
    expect(typeOf('payable')).toBe('liability');
    expect(typeOf('deferred_revenue')).toBe('deferred_revenue');
    expect(typeOf(undefined)).toBeUndefined();
  });

  it('round-trips the payment terms, and reads a term made in Tryton as the nearest', () => {
    for (const terms of PAYMENT_TERMS) expect(termsOf(termDays(terms))).toBe(terms);
    expect(termsOf(10)).toBe('net_15');
    expect(termsOf(undefined)).toBe('due_on_receipt');
  });

  it.each([
    [
      { scheme: 'VAT', number: 'DE123456704', country: 'DE' },
      { type: 'eu_vat', code: 'DE123456704' },
    ],
    [
      { scheme: 'VAT', number: 'EL123456783', country: 'GR' },
      { type: 'eu_vat', code: 'EL123456783' },
    ],
    [
      { scheme: 'EIN', number: '94-1234567', country: 'US' },
      { type: 'us_ein', code: '94-1234567' },
    ],
    [
      { scheme: 'GST', number: '51 824 753 556', country: 'AU' },
      { type: null, code: 'GST AU 51 824 753 556' },
    ],
    [
      { scheme: 'VAT', number: 'GB123456789', country: 'GB' },
      { type: null, code: 'VAT GB GB123456789' },
    ],
  ])(
    'keeps tax registration %j as Tryton identifier %j, and reads it back',
    (registration, identifier) => {
      expect(identifierOf(registration)).toEqual(identifier);
      expect(registrationOf(identifier)).toEqual(registration);
    },
  );

  it('reads no registration from an identifier of another kind', () => {
    expect(registrationOf({ type: 'fr_siren', code: '732829320' })).toBeUndefined();
    expect(registrationOf({ type: null, code: 'a note' })).toBeUndefined();
  });

  it('keeps the line details Tryton has no field for, and reads back only its own', () => {
    const lines = [
      {
        itemCode: 'A',
        quantity: '12000.0',
        amount: '240.50',
        taxAmount: '19.24',
        taxCode: 'SW054000',
        servicePeriod: { start: '2027-03-01', end: '2028-03-01' },
      },
      { itemCode: 'B', quantity: '1', amount: '5.00', taxAmount: '0' },
    ];
    const text = writeDetails({ reference: 'PO-7', lines });
    expect(text).not.toContain('\n');
    expect(readDetails(text)).toEqual({
      reference: 'PO-7',
      lines: [
        {
          quantity: '12000',
          taxAmount: '19.24',
          taxCode: 'SW054000',
          servicePeriod: { start: '2027-03-01', end: '2028-03-01' },
        },
        { quantity: '1', taxAmount: '0' },
      ],
    });
    expect(readDetails(undefined)).toBeUndefined();
    expect(readDetails('not json')).toBeUndefined();
    expect(readDetails('{"lines":[{"quantity":1}]}')).toBeUndefined();
  });

  it('makes one manual tax line per product tax code, with the taxed amount as its base', () => {
    const line = (amount: string, taxAmount: string, taxCode?: string) => ({
      itemCode: 'X',
      quantity: '1',
      amount,
      taxAmount,
      ...(taxCode === undefined ? {} : { taxCode }),
    });
    expect(
      taxLinesOf(
        [
          line('1000.00', '80.00', 'SW054000'),
          line('240.50', '19.24', 'SW054000'),
          line('100.00', '0'),
          line('50.00', '4.13'),
        ],
        '2200',
      ),
    ).toEqual([
      { accountCode: '2200', description: 'Tax SW054000', base: '1240.5', amount: '99.24' },
      { accountCode: '2200', description: 'Tax', base: '50', amount: '4.13' },
    ]);
  });

  it('keeps a journal line memo and its dimensions in one description, and reads them back (property)', () => {
    const code = fc.stringMatching(DIMENSION_CODE);
    const dimensions = fc.record(
      { productFamily: code, product: code, customer: code, department: code, location: code },
      { requiredKeys: [] },
    );
    const memo = fc.option(fc.string({ minLength: 1, maxLength: 255 }), { nil: undefined });
    fc.assert(
      fc.property(memo, dimensions, (m, d) => {
        const dims = Object.keys(d).length ? (d as Record<string, string>) : undefined;
        const read = readLineDescription(lineDescription(m, dims));
        expect(read.dimensions).toEqual(dims);
        expect(read.memo).toBe(m);
      }),
    );
    expect(readLineDescription('Release [revgate: colour=red]')).toEqual({
      memo: 'Release [revgate: colour=red]',
    });
  });

  it('shows a move line with zero sides as "0" and the customer by its key', () => {
    expect(
      ledgerLineOf(
        { accountCode: '1100', debit: '108.25', credit: '0.00', partyCode: 'US01:ACME' },
        'US01',
        'USD',
      ),
    ).toEqual({ accountCode: '1100', debit: '108.25', credit: '0', customerExternalId: 'ACME' });
    expect(
      ledgerLineOf(
        { accountCode: '4000', debit: '0', credit: '5', description: 'x [revgate: product=P]' },
        'US01',
        'USD',
        true,
      ),
    ).toEqual({
      accountCode: '4000',
      debit: '0',
      credit: '5.00',
      memo: 'x',
      dimensions: { product: 'P' },
    });
  });
});
