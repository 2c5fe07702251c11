import type Decimal from 'decimal.js';
import fc from 'fast-check';
import { isBalanced, MoneyDecimal } from '@revgate/canonical';
import { buildSchedules, revenueJournal, type RevenueLine } from './revenue-schedule.builder';

const cents = fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2));
const day = fc
  .integer({ min: 0, max: 3 * 365 })
  .map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
const span = fc.tuple(day, fc.integer({ min: 1, max: 800 })).map(([start, days]) => ({
  start,
  end: new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10),
}));
const lineArb: fc.Arbitrary<RevenueLine> = fc.record({
  id: fc.uuid(),
  type: fc.constantFrom('subscription', 'usage', 'one_time'),
  amount: cents,
  currency: fc.constant('USD'),
  servicePeriod: fc.option(span, { nil: undefined }),
  issueDate: day,
  standaloneSellingPrice: fc.option(
    cents.filter((c) => c !== '0.00'),
    { nil: undefined },
  ),
  oneTimeRecognition: fc.option(fc.constantFrom('point_in_time' as const, 'ratable' as const), {
    nil: undefined,
  }),
});
const period = day.map((d) => d.slice(0, 7));
const sum = (values: string[]): Decimal =>
  values.reduce((acc, v) => acc.plus(v), new MoneyDecimal(0));

describe('revenue schedules and journals (property tests)', () => {
  it('a line without a bundle recognizes exactly its amount, in ascending periods', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const [schedule] = buildSchedules([{ ...line, standaloneSellingPrice: undefined }]);
        expect(sum(schedule.entries.map((e) => e.amount)).equals(line.amount)).toBe(true);
        expect(schedule.total).toBe(new MoneyDecimal(line.amount).toFixed());
        const periods = schedule.entries.map((e) => e.period);
        expect([...periods].sort()).toEqual(periods);
      }),
      { numRuns: 500 },
    );
  });

  it('caught up from the posting period, a schedule still sums to its line and starts no earlier', () => {
    fc.assert(
      fc.property(lineArb, period, (line, from) => {
        const [schedule] = buildSchedules([{ ...line, standaloneSellingPrice: undefined }], from);
        expect(sum(schedule.entries.map((e) => e.amount)).equals(line.amount)).toBe(true);
        const periods = schedule.entries.map((e) => e.period);
        expect(periods.every((p) => p >= from)).toBe(true);
        expect(new Set(periods).size).toBe(periods.length);
        expect([...periods].sort()).toEqual(periods);
      }),
      { numRuns: 500 },
    );
  });

  it('recognizes a subscription ratably by day, usage when consumed, one-time by its policy', () => {
    const base = { amount: '310.00', currency: 'USD', issueDate: '2026-02-03' };
    const servicePeriod = { start: '2026-01-01', end: '2026-04-01' };
    const [sub, usage, setup, training] = buildSchedules([
      { ...base, id: 's', type: 'subscription', amount: '900.00', servicePeriod },
      {
        ...base,
        id: 'u',
        type: 'usage',
        servicePeriod: { start: '2026-01-01', end: '2026-02-01' },
      },
      { ...base, id: 'o', type: 'one_time', servicePeriod },
      {
        ...base,
        id: 't',
        type: 'one_time',
        amount: '900.00',
        servicePeriod,
        oneTimeRecognition: 'ratable',
      },
    ]);
    // 31 + 28 + 31 days: 900 × 31/90, 900 × 28/90, the remainder.
    expect(sub.entries).toEqual([
      { period: '2026-01', amount: '310' },
      { period: '2026-02', amount: '280' },
      { period: '2026-03', amount: '310' },
    ]);
    expect(usage).toMatchObject({
      method: 'as_consumed',
      entries: [{ period: '2026-01', amount: '310' }],
    });
    expect(setup).toMatchObject({
      method: 'point_in_time',
      entries: [{ period: '2026-02', amount: '310' }],
    });
    expect(training.entries).toEqual(sub.entries);
    // Posted in February: January's share is caught up in February.
    expect(
      buildSchedules(
        [{ ...base, id: 's', type: 'subscription', amount: '900.00', servicePeriod }],
        '2026-02',
      )[0].entries,
    ).toEqual([
      { period: '2026-02', amount: '590' },
      { period: '2026-03', amount: '310' },
    ]);
  });

  it("a bundle allocates exactly its lines' total by SSP, and each schedule sums to its allocation", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), (lines) => {
        const schedules = buildSchedules(lines);
        for (const s of schedules)
          expect(sum(s.entries.map((e) => e.amount)).equals(s.total)).toBe(true);
        expect(sum(schedules.map((s) => s.total)).equals(sum(lines.map((l) => l.amount)))).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a revenue journal balances, whatever the recognized amounts and their signs', () => {
    const source = fc.record({
      legalEntity: fc.constant('US01'),
      currency: fc.constant('USD'),
      deferredAccount: fc.constantFrom('2400', '2410'),
      revenueAccount: fc.constantFrom('4000', '4100'),
      productFamily: fc.constantFrom('subscription', 'usage'),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((c) => (c / 100).toFixed(2)),
    });
    fc.assert(
      fc.property(fc.array(source, { maxLength: 40 }), (sources) => {
        const lines = revenueJournal(sources);
        if (lines.length > 0) expect(isBalanced(lines, 'USD')).toBe(true);
        const released = sum(
          lines
            .filter((l) => l.credit && ['4000', '4100'].includes(l.accountCode))
            .map((l) => l.credit ?? '0'),
        ).minus(
          sum(
            lines
              .filter((l) => l.debit && ['4000', '4100'].includes(l.accountCode))
              .map((l) => l.debit ?? '0'),
          ),
        );
        expect(released.equals(sum(sources.map((s) => s.amount)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
