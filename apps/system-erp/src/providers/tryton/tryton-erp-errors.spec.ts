import { AxiosError } from 'axios';
import { toErpError, TrytonErpError, TrytonErpErrorCode } from './tryton-erp-errors';
import {
  TrytonErrorKind,
  TrytonRpcError,
  TrytonUserError,
  TrytonUserWarning,
} from './tryton-rpc.errors';

describe("the mapping of Tryton's errors to canonical codes", () => {
  it.each<[string, TrytonErpErrorCode]>([
    ['To continue, you must create a period for the date "12/15/2027".', 'ERP_PERIOD_CLOSED'],
    ['You cannot create a journal-period in closed period "2027-12".', 'ERP_PERIOD_CLOSED'],
    [
      'You cannot add/modify/delete lines on closed journal-period "Revenue - 2026-11".',
      'ERP_PERIOD_CLOSED',
    ],
    [
      'To post move "5", you must balance all its lines debits and credits.',
      'ERP_JOURNAL_UNBALANCED',
    ],
    [
      'To number the invoice "[X]", you must set an accounting date after "01/01/2026" because the sequence "S" has already been used for invoice "I".',
      'ERP_PROVIDER_ERROR',
    ],
    ['To close period "2027-11" you must post the moves "22".', 'ERP_PROVIDER_ERROR'],
    ['A value is required for field "Account" in "Invoice".', 'ERP_PROVIDER_ERROR'],
    [
      'The European VAT Number "DE123456789" for party "US01:ACME" is not valid.',
      'ERP_TAX_REGISTRATION_INVALID',
    ],
  ])('UserError %j → %s, with our words as the detail', (message, code) => {
    const mapped = toErpError(
      new TrytonUserError('model.account.invoice.post', message, ''),
      'invoice X',
    );
    expect(mapped.code).toBe(code);
    expect(mapped.detail).toMatch(/^invoice X: /);
    expect(mapped.detail).not.toContain(message);
    expect(mapped.trytonDetail).toBe(message);
  });

  it.each<[TrytonErrorKind, TrytonErpErrorCode]>([
    ['timeout', 'ERP_UNAVAILABLE'],
    ['transport', 'ERP_UNAVAILABLE'],
    ['concurrency', 'ERP_UNAVAILABLE'],
    ['rate_limited', 'ERP_RATE_LIMITED'],
    ['auth', 'ERP_PROVIDER_ERROR'],
    ['server', 'ERP_PROVIDER_ERROR'],
  ])('%s → %s', (kind, code) => {
    expect(toErpError(new TrytonRpcError(kind, 'm', 'x'), 'w').code).toBe(code);
  });

  it('keeps canonical refusals as they are, and treats anything else as a provider error', () => {
    const refusal = new TrytonErpError('ERP_CUSTOMER_NOT_FOUND', 'customer C is not in Tryton');
    expect(toErpError(refusal, 'w')).toBe(refusal);
    expect(toErpError(new TrytonUserWarning('m', 'w1', 'msg', ''), 'w').code).toBe(
      'ERP_PROVIDER_ERROR',
    );
    expect(toErpError(new AxiosError('boom'), 'w').code).toBe('ERP_PROVIDER_ERROR');
    expect(toErpError('a string', 'w').code).toBe('ERP_PROVIDER_ERROR');
  });
});
