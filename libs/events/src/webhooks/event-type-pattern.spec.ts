import {
  EVENT_TYPE_PATTERN,
  matchesAny,
  matchesEventType,
  splitPatterns,
  unknownPatterns,
} from './event-type-pattern';

const BILLING = [
  'billing.invoice.finalized.v1',
  'billing.invoice.paid.v1',
  'billing.credit_memo.created.v1',
  'billing.payment.settled.v1',
];

describe('event type patterns', () => {
  it.each([
    ['billing.invoice.finalized.v1', 'billing.invoice.finalized.v1', true],
    ['billing.invoice.finalized.v1', 'billing.invoice.finalized.v2', false],
    ['billing.invoice.*', 'billing.invoice.paid.v1', true],
    ['billing.invoice.*', 'billing.invoices.paid.v1', false],
    ['billing.invoice.*', 'billing.invoice', false],
    ['billing.*', 'billing.credit_memo.created.v1', true],
    ['billing.*', 'tax.transaction.committed.v1', false],
    ['*', 'tax.transaction.committed.v1', true],
  ])('%s matches %s: %s', (pattern, type, expected) => {
    expect(matchesEventType(pattern, type)).toBe(expected);
  });

  it('treats _ in a prefix literally (not as a wildcard)', () => {
    expect(matchesEventType('billing.credit_memo.*', 'billing.creditXmemo.created.v1')).toBe(false);
    expect(matchesAny(['billing.credit_memo.*'], 'billing.credit_memo.created.v1')).toBe(true);
  });

  it('accepts the documented forms and refuses the rest', () => {
    for (const ok of ['*', 'billing.*', 'billing.invoice.*', 'billing.invoice.finalized.v1'])
      expect(EVENT_TYPE_PATTERN.test(ok)).toBe(true);
    for (const bad of [
      '',
      'billing.',
      '*.invoice',
      'billing.*.v1',
      'Billing.invoice',
      'billing..x',
      'billing.inv*',
    ])
      expect(EVENT_TYPE_PATTERN.test(bad)).toBe(false);
  });

  it('names the patterns that match nothing the app emits', () => {
    expect(
      unknownPatterns(['billing.invoice.*', 'billing.invoice.finalised.v1', 'crm.*', '*'], BILLING),
    ).toEqual(['billing.invoice.finalised.v1', 'crm.*']);
  });

  it('splits patterns for SQL', () => {
    expect(splitPatterns(['billing.invoice.*', 'billing.payment.settled.v1'])).toEqual({
      all: false,
      exact: ['billing.payment.settled.v1'],
      prefixes: ['billing.invoice.'],
    });
    expect(splitPatterns(['*']).all).toBe(true);
  });
});
