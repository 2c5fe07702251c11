import { arDocumentFingerprint, journalEntryFingerprint, paymentFingerprint } from './fingerprint';
import type { ArDocumentInput, JournalEntryInput, PaymentInput } from './erp-provider.port';

const invoice: ArDocumentInput = {
  kind: 'invoice',
  legalEntity: 'US01',
  externalId: 'INV-1',
  customerExternalId: 'ACME',
  date: '2026-01-15',
  currency: 'USD',
  lines: [{ itemCode: 'P', quantity: '10', amount: '1000.00', taxAmount: '80.00' }],
};

describe('posting fingerprints', () => {
  it('compare decimals by value, and an absent field differs from a present one', () => {
    const same: ArDocumentInput = {
      ...invoice,
      lines: [{ itemCode: 'P', quantity: '10.000', amount: '1000', taxAmount: '80.0' }],
    };
    expect(arDocumentFingerprint(same)).toBe(arDocumentFingerprint(invoice));
    expect(arDocumentFingerprint({ ...invoice, memo: 'x' })).not.toBe(
      arDocumentFingerprint(invoice),
    );
    expect(arDocumentFingerprint({ ...invoice, kind: 'credit_memo' })).not.toBe(
      arDocumentFingerprint(invoice),
    );
  });

  it.each<[string, Partial<ArDocumentInput>]>([
    [
      'another amount',
      { lines: [{ itemCode: 'P', quantity: '10', amount: '1000.01', taxAmount: '80' }] },
    ],
    ['another date', { date: '2026-01-16' }],
    ['another customer', { customerExternalId: 'GLOBEX' }],
    ['another currency', { currency: 'EUR' }],
    [
      'a service period',
      {
        lines: [{ ...invoice.lines[0], servicePeriod: { start: '2026-01-01', end: '2026-02-01' } }],
      },
    ],
    ['a second line', { lines: [...invoice.lines, ...invoice.lines] }],
  ])('tell %s apart', (_name, change) => {
    expect(arDocumentFingerprint({ ...invoice, ...change })).not.toBe(
      arDocumentFingerprint(invoice),
    );
  });

  it('read journal dimensions in any key order, and tell sides apart', () => {
    const entry: JournalEntryInput = {
      legalEntity: 'US01',
      externalId: 'JE-1',
      date: '2026-01-31',
      period: '2026-01',
      currency: 'USD',
      memo: 'rev rec',
      lines: [
        { accountCode: '2400', debit: '10', dimensions: { product: 'P', customer: 'C' } },
        { accountCode: '4000', credit: '10.00' },
      ],
    };
    const reordered: JournalEntryInput = {
      ...entry,
      lines: [
        {
          accountCode: '2400',
          debit: '10.00',
          credit: '0',
          dimensions: { customer: 'C', product: 'P' },
        },
        { accountCode: '4000', credit: '10', debit: '0' },
      ],
    };
    expect(journalEntryFingerprint(reordered)).toBe(journalEntryFingerprint(entry));
    const swapped: JournalEntryInput = {
      ...entry,
      lines: [
        { accountCode: '2400', credit: '10' },
        { accountCode: '4000', debit: '10' },
      ],
    };
    expect(journalEntryFingerprint(swapped)).not.toBe(journalEntryFingerprint(entry));
  });

  it('tell payments apart by their applications', () => {
    const payment: PaymentInput = {
      legalEntity: 'US01',
      externalId: 'PAY-1',
      customerExternalId: 'ACME',
      date: '2026-02-01',
      currency: 'USD',
      amount: '100',
      applications: [{ invoiceExternalId: 'INV-1', amount: '100.00' }],
    };
    expect(paymentFingerprint({ ...payment, amount: '100.00' })).toBe(paymentFingerprint(payment));
    expect(paymentFingerprint({ ...payment, applications: [] })).not.toBe(
      paymentFingerprint(payment),
    );
  });
});
