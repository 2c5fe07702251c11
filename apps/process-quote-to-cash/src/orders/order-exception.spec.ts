import { UpstreamUnavailableError } from '@revgate/resilience';
import { SystemRefusal } from '../system-apis';
import { isOutage, isRefusal } from './order-exception';

describe('refusal or outage', () => {
  const refusal = (status: number, code: string) =>
    new SystemRefusal('billing', status, code, 'detail');

  it.each([
    [422, 'VALIDATION_FAILED'],
    [404, 'BILLING_CUSTOMER_NOT_FOUND'],
    [409, 'BILLING_SKU_TAKEN'],
    [422, 'ERP_PERIOD_CLOSED'],
  ])('a %i %s is a refusal the order parks with', (status, code) => {
    expect(isRefusal(refusal(status, code))).toBe(true);
    expect(isOutage(refusal(status, code))).toBe(false);
  });

  it.each([
    [409, 'IDEMPOTENCY_KEY_IN_USE'],
    [409, 'CONCURRENT_UPDATE'],
    [429, 'RATE_LIMITED'],
    [408, 'REQUEST_TIMEOUT'],
    [503, 'ERP_MAINTENANCE'],
  ])('a %i %s is an outage, retried by itself', (status, code) => {
    expect(isRefusal(refusal(status, code))).toBe(false);
    expect(isOutage(refusal(status, code))).toBe(true);
  });

  it('a system that does not answer is an outage', () => {
    expect(
      isOutage(new UpstreamUnavailableError('billing', 'timeout', 1, 'no answer in 60 s')),
    ).toBe(true);
  });
});
