import {
  chargeForSpan,
  prorate,
  ProrationError,
  ProrationErrorCode,
  unusedFraction,
  type Amendment,
  type BillingPeriod,
  type ProrationItem,
  type ProrationResult,
} from './index';

// Every expectation below is worked out by hand in the comment beside it.

const JAN_2024: BillingPeriod = { start: '2024-01-01', end: '2024-02-01' }; // 31 days
const FEB_2024: BillingPeriod = { start: '2024-02-01', end: '2024-03-01' }; // 29 days (leap)
const FEB_2023: BillingPeriod = { start: '2023-02-01', end: '2023-03-01' }; // 28 days
const APR_2024: BillingPeriod = { start: '2024-04-01', end: '2024-05-01' }; // 30 days
const YEAR_2024: BillingPeriod = { start: '2024-01-01', end: '2025-01-01' }; // 366 days
const YEAR_2023: BillingPeriod = { start: '2023-01-01', end: '2024-01-01' }; // 365 days

const item = (unitAmount: string, quantity = '1'): ProrationItem => ({ unitAmount, quantity });

function run(amendment: Amendment, period: BillingPeriod, currency = 'USD'): ProrationResult {
  return prorate({ currency, period, amendment });
}

/** kind, from, to, quantity, unit amount, days/periodDays, amount — as an invoice line reads. */
function lines(result: ProrationResult): string[][] {
  return result.lines.map((l) => [
    l.kind,
    l.servicePeriod.from,
    l.servicePeriod.to,
    l.quantity,
    l.unitAmount.toString(),
    `${l.days}/${l.periodDays}`,
    l.amount.toString(),
  ]);
}

/** What `call` threw (a failing test when it threw nothing). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, got a result');
}

describe('unusedFraction', () => {
  it('counts UTC calendar days in months of 28 to 31 days and in years', () => {
    const days = (period: BillingPeriod) => unusedFraction(period, period.start).periodDays;
    expect([JAN_2024, FEB_2024, FEB_2023, APR_2024].map(days)).toEqual([31, 29, 28, 30]);
    expect([YEAR_2024, YEAR_2023].map(days)).toEqual([366, 365]);
    // 1900 and 2100 are not leap years, 2000 is
    expect(days({ start: '1900-02-01', end: '1900-03-01' })).toBe(28);
    expect(days({ start: '2000-02-01', end: '2000-03-01' })).toBe(29);
    expect(days({ start: '2100-02-01', end: '2100-03-01' })).toBe(28);
    // an annual period that starts after the leap day does not contain it
    expect(days({ start: '2024-03-01', end: '2025-03-01' })).toBe(365);
    expect(days({ start: '2023-03-01', end: '2024-03-01' })).toBe(366);
    // daylight saving changes nothing: March 2024 has 31 days everywhere in UTC
    expect(days({ start: '2024-03-01', end: '2024-04-01' })).toBe(31);
  });

  it('knows which years have a 29 February', () => {
    // divisible by 4 and not by 100, or by 400
    for (const year of ['2024', '2000', '1600', '0004']) {
      const date = `${year}-02-29`;
      expect(unusedFraction({ start: date, end: `${year}-03-01` }, date).periodDays).toBe(1);
    }
    for (const year of ['2023', '1900', '2100', '0001']) {
      expect(
        thrown(() =>
          unusedFraction({ start: `${year}-02-29`, end: `${year}-03-01` }, `${year}-02-29`),
        ),
      ).toMatchObject({ code: 'BILLING_DATE_INVALID', path: 'period.start' });
    }
  });

  it('is the whole period on the first day and one day on the last', () => {
    expect(unusedFraction(JAN_2024, '2024-01-01')).toEqual({ unusedDays: 31, periodDays: 31 });
    expect(unusedFraction(JAN_2024, '2024-01-31')).toEqual({ unusedDays: 1, periodDays: 31 });
    expect(unusedFraction(FEB_2024, '2024-02-29')).toEqual({ unusedDays: 1, periodDays: 29 });
    // 16 to 31 January inclusive: 16 days
    expect(unusedFraction(JAN_2024, '2024-01-16')).toEqual({ unusedDays: 16, periodDays: 31 });
  });

  it('refuses a date outside [start, end): before the start, on the end, after it', () => {
    for (const date of ['2023-12-31', '2024-02-01', '2024-03-15']) {
      const error = thrown(() => unusedFraction(JAN_2024, date));
      expect(error).toBeInstanceOf(ProrationError);
      expect(error).toMatchObject({
        code: 'BILLING_PRORATION_DATE_OUTSIDE_PERIOD',
        path: 'effectiveDate',
        message: `effectiveDate: ${date} is outside the billing period [2024-01-01, 2024-02-01)`,
      });
    }
  });

  it.each([
    ['2023-02-29'],
    ['2024-02-30'],
    ['2024-04-31'],
    ['2024-06-31'],
    ['2024-09-31'],
    ['2024-11-31'],
    ['2024-13-01'],
    ['2024-00-10'],
    ['2024-01-00'],
    ['0000-01-01'],
    ['2024-1-5'],
    ['20240105'],
    ['2024-01-05T00:00:00Z'],
    [''],
  ])('refuses %j as a date', (date) => {
    expect(thrown(() => unusedFraction(JAN_2024, date))).toMatchObject({
      code: ProrationErrorCode.DATE_INVALID,
      path: 'effectiveDate',
    });
  });

  it('refuses an empty or reversed period', () => {
    for (const period of [
      { start: '2024-01-01', end: '2024-01-01' },
      { start: '2024-02-01', end: '2024-01-01' },
    ]) {
      expect(thrown(() => unusedFraction(period, '2024-01-01'))).toMatchObject({
        code: 'BILLING_PERIOD_INVALID',
        path: 'period',
      });
    }
    expect(
      thrown(() => unusedFraction({ start: '2024-01-01', end: '2023-02-29' }, '2024-01-01')),
    ).toMatchObject({ code: 'BILLING_DATE_INVALID', path: 'period.end' });
  });
});

describe('prorate', () => {
  describe('upgrade and downgrade', () => {
    it('credits the old price and charges the new one for the unused days', () => {
      // 16/31 of January left. credit −30 × 16/31 = −15.4838… → −15.48; charge 60 × 16/31 = 30.9677… → 30.97
      const result = run(
        {
          type: 'item_change',
          effectiveDate: '2024-01-16',
          from: item('30.00'),
          to: item('60.00'),
        },
        JAN_2024,
      );
      expect(lines(result)).toEqual([
        ['credit', '2024-01-16', '2024-02-01', '1', '30.00', '16/31', '-15.48'],
        ['charge', '2024-01-16', '2024-02-01', '1', '60.00', '16/31', '30.97'],
      ]);
      // −15.48 + 30.97 = 15.49, one cent above round(30 × 16/31) = 15.48: the declared bound at work
      expect(result.total.toString()).toBe('15.49');
      expect(result.currency).toBe('USD');
    });

    it('mirrors for a downgrade', () => {
      const result = run(
        {
          type: 'item_change',
          effectiveDate: '2024-01-16',
          from: item('60.00'),
          to: item('30.00'),
        },
        JAN_2024,
      );
      expect(result.lines.map((l) => l.amount.toString())).toEqual(['-30.97', '15.48']);
      expect(result.total.toString()).toBe('-15.49');
    });

    it('credits and charges in full on the first day, and one day’s worth on the last', () => {
      const first = run(
        {
          type: 'item_change',
          effectiveDate: '2024-01-01',
          from: item('30.00'),
          to: item('60.00'),
        },
        JAN_2024,
      );
      expect(first.lines.map((l) => l.amount.toString())).toEqual(['-30.00', '60.00']);
      // 30 / 31 = 0.9677… → 0.97; 60 / 31 = 1.9354… → 1.94
      const last = run(
        {
          type: 'item_change',
          effectiveDate: '2024-01-31',
          from: item('30.00'),
          to: item('60.00'),
        },
        JAN_2024,
      );
      expect(lines(last)).toEqual([
        ['credit', '2024-01-31', '2024-02-01', '1', '30.00', '1/31', '-0.97'],
        ['charge', '2024-01-31', '2024-02-01', '1', '60.00', '1/31', '1.94'],
      ]);
    });
  });

  describe('quantity change', () => {
    it('credits the old quantity and charges the new one (leap February)', () => {
      // 20–29 Feb 2024: 10 of 29 days. credit −12.50 × 10 × 10/29 = −43.1034… → −43.10;
      // charge 12.50 × 14 × 10/29 = 60.3448… → 60.34
      const result = run(
        {
          type: 'item_change',
          effectiveDate: '2024-02-20',
          from: item('12.50', '10'),
          to: item('12.50', '14'),
        },
        FEB_2024,
      );
      expect(lines(result)).toEqual([
        ['credit', '2024-02-20', '2024-03-01', '10', '12.50', '10/29', '-43.10'],
        ['charge', '2024-02-20', '2024-03-01', '14', '12.50', '10/29', '60.34'],
      ]);
      expect(result.total.toString()).toBe('17.24');
    });

    it('uses 28 days in a common February', () => {
      // 20–28 Feb 2023: 9 of 28 days. −125 × 9/28 = −40.1785… → −40.18; 175 × 9/28 = 56.25
      const result = run(
        {
          type: 'item_change',
          effectiveDate: '2023-02-20',
          from: item('12.50', '10'),
          to: item('12.50', '14'),
        },
        FEB_2023,
      );
      expect(result.lines.map((l) => l.amount.toString())).toEqual(['-40.18', '56.25']);
      expect(result.total.toString()).toBe('16.07');
    });

    it('prorates decimal quantities and sub-cent unit amounts exactly', () => {
      // 0.0015 × 100,000.5 = 150.00075 per period; 21 of 30 April days: 105.000525 → 105.00
      const result = run(
        {
          type: 'item_change',
          effectiveDate: '2024-04-10',
          from: item('0.0015', '0'),
          to: item('0.0015', '100000.5'),
        },
        APR_2024,
      );
      expect(result.lines.map((l) => l.amount.toString())).toEqual(['0.00', '105.00']);
    });
  });

  describe('cancellation', () => {
    it('credits the unused days of an annual period, leap year or not', () => {
      // 1 July to 1 January: 184 days. 1200 × 184/366 = 603.2786… ; 1200 × 184/365 = 604.9315…
      const leap = run(
        { type: 'cancel_now', effectiveDate: '2024-07-01', item: item('1200.00') },
        YEAR_2024,
      );
      expect(lines(leap)).toEqual([
        ['credit', '2024-07-01', '2025-01-01', '1', '1200.00', '184/366', '-603.28'],
      ]);
      const common = run(
        { type: 'cancel_now', effectiveDate: '2023-07-01', item: item('1200.00') },
        YEAR_2023,
      );
      expect(common.total.toString()).toBe('-604.93');
    });

    it('credits the full price on the first day and one day on the last', () => {
      const first = run(
        { type: 'cancel_now', effectiveDate: '2024-01-01', item: item('1200.00') },
        YEAR_2024,
      );
      expect(first.total.toString()).toBe('-1200.00');
      // 1200 / 366 = 3.2786… → 3.28
      const last = run(
        { type: 'cancel_now', effectiveDate: '2024-12-31', item: item('1200.00') },
        YEAR_2024,
      );
      expect(lines(last)).toEqual([
        ['credit', '2024-12-31', '2025-01-01', '1', '1200.00', '1/366', '-3.28'],
      ]);
    });

    it('rounds in the currency: JPY to yen, KWD to fils', () => {
      // 1000 × 16/31 = 516.129… → 516; 10 × 16/31 = 5.16129… → 5.161
      const cancel: Amendment = {
        type: 'cancel_now',
        effectiveDate: '2024-01-16',
        item: item('1000'),
      };
      expect(run(cancel, JAN_2024, 'JPY').total.toString()).toBe('-516');
      expect(run({ ...cancel, item: item('10') }, JAN_2024, 'KWD').total.toString()).toBe('-5.161');
    });

    it('prorates nothing when the cancellation takes effect at period end', () => {
      const result = run({ type: 'cancel_at_period_end', item: item('30.00', '3') }, JAN_2024);
      expect(result.lines).toEqual([]);
      expect(result.total.toString()).toBe('0.00');
    });
  });

  describe('renewal', () => {
    it('charges the full next period, whatever its length', () => {
      // 30.00 × 2 = 60.00 for the 29 days of February, not 60 × 29/31
      const result = run(
        { type: 'renewal', nextPeriod: FEB_2024, item: item('30.00', '2') },
        JAN_2024,
      );
      expect(lines(result)).toEqual([
        ['charge', '2024-02-01', '2024-03-01', '2', '30.00', '29/29', '60.00'],
      ]);
    });

    it('refuses a next period that does not start where the current one ends', () => {
      expect(
        thrown(() => run({ type: 'renewal', nextPeriod: APR_2024, item: item('30.00') }, JAN_2024)),
      ).toMatchObject({
        code: 'BILLING_PERIOD_INVALID',
        path: 'amendment.nextPeriod.start',
      });
    });
  });

  describe('co-terming an item added mid-term', () => {
    it('charges the new item from the effective date to the existing period end', () => {
      // 10–30 April: 21 of 30 days. 99 × 21/30 = 69.30
      const result = run(
        { type: 'co_term_addition', effectiveDate: '2024-04-10', item: item('99.00') },
        APR_2024,
      );
      expect(lines(result)).toEqual([
        ['charge', '2024-04-10', '2024-05-01', '1', '99.00', '21/30', '69.30'],
      ]);
    });
  });

  describe('rounding', () => {
    it('rounds a half minor unit up, and the bound of one minor unit is reached', () => {
      // a 2-day period, change on day 2: f = 1/2. credit −0.01/2 = −0.005 → −0.01; charge 0.02/2 = 0.01
      const twoDays: BillingPeriod = { start: '2024-01-01', end: '2024-01-03' };
      const result = run(
        { type: 'item_change', effectiveDate: '2024-01-02', from: item('0.01'), to: item('0.02') },
        twoDays,
      );
      expect(result.lines.map((l) => l.amount.toString())).toEqual(['-0.01', '0.01']);
      // total 0.00, while round((0.02 − 0.01) × 1/2) = round(0.005) = 0.01: exactly one minor unit
      expect(result.total.toString()).toBe('0.00');
    });
  });

  describe('refusals', () => {
    const change = (effectiveDate: string): Amendment => ({
      type: 'item_change',
      effectiveDate,
      from: item('1'),
      to: item('2'),
    });

    it('refuses an effective date outside the period, the period end included', () => {
      for (const date of ['2023-12-31', '2024-02-01']) {
        expect(thrown(() => run(change(date), JAN_2024))).toMatchObject({
          code: 'BILLING_PRORATION_DATE_OUTSIDE_PERIOD',
          path: 'amendment.effectiveDate',
        });
      }
      expect(
        thrown(() =>
          run({ type: 'co_term_addition', effectiveDate: '2024-05-01', item: item('1') }, APR_2024),
        ),
      ).toMatchObject({ code: 'BILLING_PRORATION_DATE_OUTSIDE_PERIOD' });
    });

    it('refuses a bad currency, quantity or amount, naming the field', () => {
      expect(
        thrown(() =>
          prorate({ currency: 'usd', period: JAN_2024, amendment: change('2024-01-02') }),
        ),
      ).toMatchObject({
        code: 'BILLING_CURRENCY_INVALID',
        path: 'currency',
      });
      const bad = (from: ProrationItem) => () =>
        run({ type: 'item_change', effectiveDate: '2024-01-02', from, to: item('1') }, JAN_2024);
      expect(thrown(bad(item('1', '-1')))).toMatchObject({
        code: 'BILLING_QUANTITY_INVALID',
        path: 'amendment.from.quantity',
      });
      expect(thrown(bad(item('1', '1e3')))).toMatchObject({ code: 'BILLING_QUANTITY_INVALID' });
      expect(thrown(bad(item('-5')))).toMatchObject({
        code: 'BILLING_AMOUNT_INVALID',
        path: 'amendment.from.unitAmount',
      });
      expect(thrown(bad({ unitAmount: 5 as unknown as string, quantity: '1' }))).toMatchObject({
        code: 'BILLING_AMOUNT_INVALID',
      });
      // 999,999,999 × 1,000,001 ≥ 10^15
      expect(thrown(bad(item('999999999', '1000001')))).toMatchObject({
        code: 'BILLING_AMOUNT_INVALID',
        path: 'amendment.from',
      });
    });

    it('validates the item even when nothing is prorated', () => {
      expect(
        thrown(() => run({ type: 'cancel_at_period_end', item: item('1', 'x') }, JAN_2024)),
      ).toMatchObject({ code: 'BILLING_QUANTITY_INVALID' });
    });

    it('refuses an unknown amendment type', () => {
      const amendment = { type: 'pause', item: item('1') } as unknown as Amendment;
      expect(thrown(() => run(amendment, JAN_2024))).toMatchObject({
        code: 'BILLING_AMENDMENT_INVALID',
        path: 'amendment.type',
      });
    });
  });
});

describe('chargeForSpan', () => {
  it('splits a period into a used and an unused part that add up to the price', () => {
    // 1–15 January: 15 days, 30 × 15/31 = 14.5161… → 14.52; 16–31: 16 days → 15.48
    const used = chargeForSpan(
      'USD',
      JAN_2024,
      { from: '2024-01-01', to: '2024-01-16' },
      item('30'),
    );
    const unused = chargeForSpan(
      'USD',
      JAN_2024,
      { from: '2024-01-16', to: '2024-02-01' },
      item('30'),
    );
    expect([used.amount.toString(), unused.amount.toString()]).toEqual(['14.52', '15.48']);
    expect([used.days, unused.days, used.kind]).toEqual([15, 16, 'charge']);
  });

  it('charges nothing for an empty span and refuses one outside the period or reversed', () => {
    const empty = chargeForSpan(
      'USD',
      JAN_2024,
      { from: '2024-01-05', to: '2024-01-05' },
      item('30'),
    );
    expect(empty.amount.toString()).toBe('0.00');
    expect(
      thrown(() =>
        chargeForSpan('USD', JAN_2024, { from: '2023-12-31', to: '2024-01-05' }, item('30')),
      ),
    ).toMatchObject({ code: 'BILLING_PRORATION_DATE_OUTSIDE_PERIOD', path: 'span' });
    expect(
      thrown(() =>
        chargeForSpan('USD', JAN_2024, { from: '2024-01-10', to: '2024-01-05' }, item('30')),
      ),
    ).toMatchObject({ code: 'BILLING_PERIOD_INVALID', path: 'span' });
  });
});
