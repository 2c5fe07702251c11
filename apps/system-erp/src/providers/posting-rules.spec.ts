import fc from 'fast-check';
import { addDays, dateOfDayNumber, dayNumber, periodEnd, periodOf } from '@revgate/canonical';
import { ErpError } from '../erp-error-code';
import { isDeferred, revenueAccountFor } from './posting-rules';

const item = { code: 'PLATFORM', revenueAccount: '4000', deferredRevenueAccount: '2400' };

describe('revenue or deferred revenue', () => {
  it.each<[string, { start: string; end: string } | undefined, boolean]>([
    ['no service period', undefined, false],
    ['the posting month itself', { start: '2026-01-01', end: '2026-02-01' }, false],
    ['a period that ended before', { start: '2025-12-01', end: '2026-01-01' }, false],
    ['a year from the posting month', { start: '2026-01-01', end: '2027-01-01' }, true],
    ['next month, billed in advance', { start: '2026-02-01', end: '2026-03-01' }, true],
    ['one day past the period', { start: '2026-01-15', end: '2026-02-02' }, true],
  ])('a line for %s posted in 2026-01 is deferred: %s', (_name, servicePeriod, deferred) => {
    expect(isDeferred(servicePeriod, '2026-01')).toBe(deferred);
    expect(revenueAccountFor({ servicePeriod }, 0, item, '2026-01', {})).toEqual({
      accountCode: deferred ? '2400' : '4000',
      deferred,
    });
  });

  it('defers exactly the lines with a day of service after the last day of the posting period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber('2020-01-01'), max: dayNumber('2030-12-31') }),
        fc.integer({ min: 1, max: 800 }),
        fc.integer({ min: dayNumber('2020-01-01'), max: dayNumber('2030-12-31') }),
        (start, length, posted) => {
          const servicePeriod = {
            start: dateOfDayNumber(start),
            end: dateOfDayNumber(start + length),
          };
          const period = periodOf(dateOfDayNumber(posted));
          const lastServiceDay = start + length - 1;
          const lastPeriodDay = dayNumber(addDays(periodEnd(period), -1));
          return isDeferred(servicePeriod, period) === lastServiceDay > lastPeriodDay;
        },
      ),
    );
  });

  it("falls back to the entity's deferred revenue account, and refuses when there is none", () => {
    const annual = { servicePeriod: { start: '2026-01-01', end: '2027-01-01' } };
    const noDeferred = { code: 'API', revenueAccount: '4100' };
    expect(
      revenueAccountFor(annual, 0, noDeferred, '2026-01', { deferredRevenue: '2450' }),
    ).toEqual({ accountCode: '2450', deferred: true });
    let error: unknown;
    try {
      revenueAccountFor(annual, 3, noDeferred, '2026-01', {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({
      status: 422,
      code: 'ERP_DEFAULT_ACCOUNT_MISSING',
      extensions: { errors: [{ pointer: '/lines/3/servicePeriod' }] },
    });
  });
});
