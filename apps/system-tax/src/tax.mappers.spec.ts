import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { CommitTaxTransactionRequest, TaxQuoteRequest } from '@revgate/canonical';
import type { RecordedTransaction } from './providers/tax-provider.port';
import {
  toCommitModel,
  toDocumentStatus,
  toEstimateModel,
  toEstimateOf,
  toRecordedDocumentType,
  toTransactionResponse,
} from './tax.mappers';

const ID = '0b6f2c1e-7d1a-4c55-9a1e-3f0a5e2b9c10';
const AT = '2026-03-01T12:34:56.789Z';

const request = {
  legalEntity: 'US01',
  customerCode: 'ACME-001',
  date: '2026-01-15',
  currency: 'USD',
  customerVatId: 'DE123456789',
  addresses: {
    shipFrom: { region: 'TX', postalCode: '78701', country: 'US' },
    shipTo: { city: 'Berlin', country: 'DE' },
  },
  lines: [
    { taxCode: 'SW054000', quantity: '1', amount: '10.00' },
    { number: 'X', itemCode: 'SKU', taxCode: 'NT', quantity: '2', amount: '5', taxIncluded: true },
  ],
};

describe('request mappers (canonical → AvaTax CreateTransactionModel)', () => {
  it('makes a quote a SalesOrder that is not committed, numbering lines by position', () => {
    // As the validation pipe hands it over: a class instance whose unsent fields are undefined.
    const model = toEstimateModel(plainToInstance(TaxQuoteRequest, request));
    expect(model).toEqual({
      type: 'SalesOrder',
      commit: false,
      companyCode: 'US01',
      date: '2026-01-15',
      customerCode: 'ACME-001',
      currencyCode: 'USD',
      businessIdentificationNo: 'DE123456789',
      addresses: {
        shipFrom: { region: 'TX', postalCode: '78701', country: 'US' },
        shipTo: { city: 'Berlin', country: 'DE' },
      },
      lines: [
        { number: '1', quantity: '1', amount: '10.00', taxCode: 'SW054000', taxIncluded: false },
        {
          number: 'X',
          quantity: '2',
          amount: '5',
          taxCode: 'NT',
          itemCode: 'SKU',
          taxIncluded: true,
        },
      ],
    });
    expect(Object.keys(model.addresses.shipTo)).toEqual(['city', 'country']);
  });

  it('makes a transaction a committed SalesInvoice under its code', () => {
    const model = toCommitModel(
      plainToInstance(CommitTaxTransactionRequest, { ...request, code: 'INV-1' }),
    );
    expect(model).toMatchObject({
      type: 'SalesInvoice',
      commit: true,
      code: 'INV-1',
      companyCode: 'US01',
    });
  });

  it('makes a return a ReturnInvoice naming its sale, taxed at the sale’s date, with TaxAmount overrides where a line fixes its tax', () => {
    const model = toCommitModel(
      plainToInstance(CommitTaxTransactionRequest, {
        ...request,
        date: '2026-02-20',
        code: 'CM-1',
        type: 'return',
        referenceCode: 'INV-1',
        lines: [
          { taxCode: 'SW054000', quantity: '1', amount: '4.00', taxAmount: '0.76' },
          { number: 'X', taxCode: 'NT', quantity: '1', amount: '5' },
        ],
      }),
      '2026-01-15',
    );
    expect(model).toMatchObject({
      type: 'ReturnInvoice',
      commit: true,
      code: 'CM-1',
      date: '2026-02-20',
      referenceCode: 'INV-1',
      taxOverride: { type: 'TaxDate', taxDate: '2026-01-15', reason: 'Return' },
    });
    expect(model.lines).toEqual([
      {
        number: '1',
        quantity: '1',
        amount: '4.00',
        taxCode: 'SW054000',
        taxIncluded: false,
        taxOverride: { type: 'TaxAmount', taxAmount: '0.76', reason: 'Return' },
      },
      { number: 'X', quantity: '1', amount: '5', taxCode: 'NT', taxIncluded: false },
    ]);
    const estimate = toEstimateOf(model);
    expect(estimate).toMatchObject({ type: 'ReturnOrder', commit: false });
    expect(estimate).not.toHaveProperty('code');
    expect(estimate.taxOverride).toEqual(model.taxOverride);
    expect(
      toEstimateOf(
        toCommitModel(plainToInstance(CommitTaxTransactionRequest, { ...request, code: 'I' })),
      ).type,
    ).toBe('SalesOrder');
  });

  it('maps the canonical document types to AvaTax’s', () => {
    expect(toRecordedDocumentType('sale')).toBe('SalesInvoice');
    expect(toRecordedDocumentType('return')).toBe('ReturnInvoice');
  });

  it('maps the canonical statuses to AvaTax’s', () => {
    expect(toDocumentStatus('committed')).toBe('Committed');
    expect(toDocumentStatus('voided')).toBe('Cancelled');
  });
});

describe('toTransactionResponse', () => {
  const recorded: RecordedTransaction = {
    id: ID,
    code: 'INV-1',
    type: 'SalesInvoice',
    status: 'Cancelled',
    companyCode: 'FR01',
    date: '2026-01-15',
    customerCode: 'GLOBEX',
    currencyCode: 'EUR',
    businessIdentificationNo: 'DE123456789',
    addresses: { shipFrom: { country: 'FR' }, shipTo: { country: 'DE' } },
    reverseCharge: true,
    lines: [
      {
        number: '1',
        taxCode: 'SW054000',
        quantity: '1',
        amount: '1000.00',
        taxIncluded: false,
        taxability: 'reverse_charge',
        rate: '0',
        jurisdiction: { country: 'DE', name: 'Germany', taxName: 'VAT' },
        netAmount: '1000.00',
        taxableAmount: '0.00',
        exemptAmount: '1000.00',
        tax: '0.00',
      },
    ],
    totalAmount: '1000.00',
    totalTaxable: '0.00',
    totalExempt: '1000.00',
    totalTax: '0.00',
    messages: ['Reverse charge'],
    committedAt: new Date('2026-01-15T10:00:00.000Z'),
    voidedAt: new Date(AT),
    voidReason: 'cancelled',
    version: 2,
    createdAt: new Date('2026-01-15T10:00:00.000Z'),
    updatedAt: new Date(AT),
  };

  it('speaks the canonical model: legal entity, currency, customerVatId, notes, voided', () => {
    expect(toTransactionResponse(recorded)).toEqual({
      id: ID,
      code: 'INV-1',
      type: 'sale',
      status: 'voided',
      legalEntity: 'FR01',
      customerCode: 'GLOBEX',
      date: '2026-01-15',
      currency: 'EUR',
      addresses: { shipFrom: { country: 'FR' }, shipTo: { country: 'DE' } },
      customerVatId: 'DE123456789',
      reverseCharge: true,
      lines: recorded.lines,
      totalAmount: '1000.00',
      totalTaxable: '0.00',
      totalExempt: '1000.00',
      totalTax: '0.00',
      totalWithTax: '1000.00',
      notes: ['Reverse charge'],
      committedAt: '2026-01-15T10:00:00.000Z',
      voidedAt: AT,
      voidReason: 'cancelled',
      version: 2,
      createdAt: '2026-01-15T10:00:00.000Z',
      updatedAt: AT,
    });
  });

  it('shows a return as such, with the code of its sale', () => {
    const response = toTransactionResponse({
      ...recorded,
      type: 'ReturnInvoice',
      referenceCode: 'INV-0',
    });
    expect(response).toMatchObject({ code: 'INV-1', type: 'return', referenceCode: 'INV-0' });
    expect(toTransactionResponse(recorded)).not.toHaveProperty('referenceCode');
  });

  it('adds the total with tax exactly, in the currency’s decimals', () => {
    const jpy = { ...recorded, currencyCode: 'JPY', totalAmount: '2249', totalTax: '428' };
    expect(toTransactionResponse(jpy).totalWithTax).toBe('2677');
    const usd = { ...recorded, currencyCode: 'USD', totalAmount: '0.10', totalTax: '0.20' };
    expect(toTransactionResponse(usd).totalWithTax).toBe('0.30');
  });
});
