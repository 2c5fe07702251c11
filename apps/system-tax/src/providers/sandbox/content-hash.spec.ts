import type { CreateTransactionModel } from '../tax-provider.port';
import { contentHash } from './content-hash';

const base: CreateTransactionModel = {
  type: 'SalesInvoice',
  code: 'INV-1',
  companyCode: 'US01',
  date: '2026-01-15',
  customerCode: 'ACME-001',
  commit: true,
  currencyCode: 'USD',
  addresses: {
    shipFrom: { region: 'TX', postalCode: '78701', country: 'US' },
    shipTo: { region: 'NY', postalCode: '10001', country: 'US' },
  },
  lines: [
    { number: '1', quantity: '10', amount: '1200.00', taxCode: 'SW054000', taxIncluded: false },
  ],
};

const saleReturn: CreateTransactionModel = {
  ...base,
  type: 'ReturnInvoice',
  code: 'CM-1',
  referenceCode: 'INV-1',
  taxOverride: { type: 'TaxDate', taxDate: '2026-01-10', reason: 'Return' },
  lines: [
    { ...base.lines[0], taxOverride: { type: 'TaxAmount', taxAmount: '48.00', reason: 'Return' } },
  ],
};

describe('contentHash', () => {
  it('is unchanged for a sale: documents recorded before returns existed keep their hash', () => {
    expect(contentHash(base)).toBe(
      'aa414b77b24fd0bb11c01dcffbac924990c2109e6060668e266b2d2efadebe65',
    );
  });

  it.each<[string, Partial<CreateTransactionModel>]>([
    ['another reference', { referenceCode: 'INV-2' }],
    ['no reference', { referenceCode: undefined }],
    [
      'another tax date',
      { taxOverride: { type: 'TaxDate', taxDate: '2026-01-11', reason: 'Return' } },
    ],
    ['no tax date', { taxOverride: undefined }],
    [
      'another tax amount',
      {
        lines: [
          {
            ...base.lines[0],
            taxOverride: { type: 'TaxAmount', taxAmount: '48.01', reason: 'Return' },
          },
        ],
      },
    ],
    ['no tax amount', { lines: [base.lines[0]] }],
  ])('changes for a return with %s', (_name, change) => {
    expect(contentHash({ ...saleReturn, ...change })).not.toBe(contentHash(saleReturn));
  });

  it('is the same for a return’s tax amount written differently', () => {
    const same = {
      ...saleReturn,
      lines: [
        {
          ...base.lines[0],
          taxOverride: { type: 'TaxAmount' as const, taxAmount: '48', reason: 'Return' },
        },
      ],
    };
    expect(contentHash(same)).toBe(contentHash(saleReturn));
  });

  it('is the same for equal decimals written differently', () => {
    const same = {
      ...base,
      lines: [{ ...base.lines[0], quantity: '10.000', amount: '1200' }],
    };
    expect(contentHash(same)).toBe(contentHash(base));
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<CreateTransactionModel>]>([
    ['another date', { date: '2026-01-16' }],
    ['another customer', { customerCode: 'ACME-002' }],
    ['another currency', { currencyCode: 'EUR' }],
    ['an exemption', { exemptionNo: 'EX-1' }],
    ['a VAT number', { businessIdentificationNo: 'DE123456789' }],
    ['another type', { type: 'ReturnInvoice' }],
    ['another code', { code: 'INV-2' }],
    ['another company', { companyCode: 'US02' }],
    [
      'another ship-to',
      {
        addresses: {
          ...base.addresses,
          shipTo: { region: 'NY', postalCode: '10002', country: 'US' },
        },
      },
    ],
    ['another amount', { lines: [{ ...base.lines[0], amount: '1200.01' }] }],
    ['another quantity', { lines: [{ ...base.lines[0], quantity: '11' }] }],
    ['another tax code', { lines: [{ ...base.lines[0], taxCode: 'P0000000' }] }],
    ['tax included', { lines: [{ ...base.lines[0], taxIncluded: true }] }],
    ['a description', { lines: [{ ...base.lines[0], description: 'x' }] }],
    ['another line number', { lines: [{ ...base.lines[0], number: '2' }] }],
    ['one more line', { lines: [base.lines[0], { ...base.lines[0], number: '2' }] }],
  ])('changes with %s', (_name, change) => {
    expect(contentHash({ ...base, ...change })).not.toBe(contentHash(base));
  });
});
